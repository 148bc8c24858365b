//! `tenant_sql_function!` and `tenant_infix_operator!`: an application's own SQL
//! functions and operators, declared through Diesel's macros and put on the
//! expression allow-list with their arguments checked.
//!
//! Neither takes SQL text it cannot vouch for: a function's SQL name is its Rust
//! name (no `#[sql_name]`, which Diesel pastes into the query verbatim), and an
//! operator is made of operator characters only, so it can neither spell `OR`,
//! which would escape the tenant filter's `AND`, nor start a comment.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Attribute, Ident, LitStr, Token, Type};

use crate::krate::{self, Krate};

/// A declaration after an optional `crate = path;`: the path generated code
/// names tenant-diesel by, for a crate that renamed it.
struct WithKrate<T> {
    krate: Krate,
    decl: T,
}

/// A declaration that may follow `crate = ..;`.
trait Declaration: Parse {
    /// The macro's syntax with `crate = ..;`, shown by its errors.
    const CRATE_SYNTAX: &'static str;
}

impl Declaration for FunctionDecl {
    const CRATE_SYNTAX: &'static str =
        "tenant_sql_function! { crate = td; fn lower(x: Text) -> Text; }";
}

impl Declaration for OperatorDecl {
    const CRATE_SYNTAX: &'static str = "tenant_infix_operator!(crate = td; Similar, \" % \")";
}

impl<T: Declaration> Parse for WithKrate<T> {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let syntax = T::CRATE_SYNTAX;
        let mut krate = None;
        while input.peek(Token![crate]) && input.peek2(Token![=]) {
            let key = input.parse::<Token![crate]>()?;
            input.parse::<Token![=]>()?;
            let value = krate::parse_value(input, syntax)?;
            input.parse::<Token![;]>().map_err(|error| {
                syn::Error::new(error.span(), format!("expected `;` after the path of `crate = ..`; the correct format looks like {syntax}"))
            })?;
            if krate.is_some() {
                return Err(syn::Error::new(
                    key.span,
                    format!(
                        "duplicate `crate = ..`; name the path of tenant-diesel once: {syntax}"
                    ),
                ));
            }
            krate = Some(value);
        }
        Ok(Self {
            krate: krate.unwrap_or_default(),
            decl: input.parse()?,
        })
    }
}

/// `fn name(arg: SqlType, ..) -> SqlType;`, with doc comments and `#[aggregate]`.
struct FunctionDecl {
    attrs: Vec<Attribute>,
    name: Ident,
    args: Punctuated<Arg, Token![,]>,
    ret: Type,
}

struct Arg {
    name: Ident,
    ty: Type,
}

impl Parse for Arg {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let name = input.parse()?;
        input.parse::<Token![:]>()?;
        Ok(Self {
            name,
            ty: input.parse()?,
        })
    }
}

impl Parse for FunctionDecl {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        input.parse::<Token![fn]>()?;
        let name: Ident = input.parse()?;
        if input.peek(Token![<]) {
            return Err(syn::Error::new(
                name.span(),
                "tenant_sql_function! declares functions without type parameters; the correct format looks like tenant_sql_function! { fn lower(x: Text) -> Text; }",
            ));
        }
        let content;
        syn::parenthesized!(content in input);
        let args = content.parse_terminated(Arg::parse, Token![,])?;
        input.parse::<Token![->]>()?;
        let ret = input.parse()?;
        let _ = input.parse::<Option<Token![;]>>()?;
        Ok(Self {
            attrs,
            name,
            args,
            ret,
        })
    }
}

/// The macro on `proc_macro2` tokens, so that it can be unit-tested.
pub fn tenant_sql_function_inner(input: TokenStream) -> TokenStream {
    let WithKrate { krate, decl } = match syn::parse2::<WithKrate<FunctionDecl>>(input) {
        Ok(parsed) => parsed,
        Err(error) => return error.into_compile_error(),
    };
    for attr in &decl.attrs {
        let allowed = attr.path().is_ident("doc")
            || attr.path().is_ident("aggregate")
            || attr.path().is_ident("window");
        if !allowed {
            return syn::Error::new_spanned(
                attr,
                "tenant_sql_function! takes doc comments, #[aggregate] and #[window] only: the SQL name of the function is its Rust name, never text pasted into the query (`#[sql_name = ..]` is what Diesel pastes verbatim)",
            )
            .into_compile_error();
        }
    }
    if decl.args.is_empty() {
        return syn::Error::new(
            decl.name.span(),
            "tenant_sql_function! declares functions with at least one argument; a function of none is a constant of the database, declare it with Diesel and review it",
        )
        .into_compile_error();
    }
    let FunctionDecl {
        attrs,
        name,
        args,
        ret,
    } = &decl;
    let utils = format_ident!("{}_utils", name);
    let arg_names: Vec<&Ident> = args.iter().map(|arg| &arg.name).collect();
    let arg_types: Vec<&Type> = args.iter().map(|arg| &arg.ty).collect();
    let params: Vec<Ident> = (0..args.len())
        .map(|i| Ident::new(&format!("__A{i}"), Span::call_site()))
        .collect();
    let proofs: Vec<Ident> = (0..args.len())
        .map(|i| Ident::new(&format!("__P{i}"), Span::call_site()))
        .collect();
    let private = krate.private();
    let node =
        quote!(#private::proof::Node<#private::kind::Function, (#(#params,)*), (#(#proofs,)*)>);
    quote! {
        ::diesel::define_sql_function! {
            #(#attrs)*
            fn #name(#(#arg_names: #arg_types),*) -> #ret;
        }

        #[automatically_derived]
        impl<#(#params,)* #(#proofs,)*> #private::ImplementedByTenantDieselOnly<#node>
            for #utils::#name<#(#params,)*>
        {
        }

        #[automatically_derived]
        impl<__T, #(#params,)* #(#proofs,)*> #krate::TenantSafe<__T, #node>
            for #utils::#name<#(#params,)*>
        where
            #(#params: #krate::TenantSafe<__T, #proofs>,)*
        {
        }
    }
}

/// `Name, "text"` or `Name, "text", ReturnSqlType`.
struct OperatorDecl {
    name: Ident,
    text: LitStr,
    ret: Option<Type>,
}

impl Parse for OperatorDecl {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let name = input.parse()?;
        input.parse::<Token![,]>()?;
        let text = input.parse()?;
        let ret = if input.parse::<Option<Token![,]>>()?.is_some() && !input.is_empty() {
            Some(input.parse()?)
        } else {
            None
        };
        Ok(Self { name, text, ret })
    }
}

/// Why `text` is not an operator this crate can vouch for, if it is not.
pub fn operator_text_problem(text: &str) -> Option<&'static str> {
    const OPERATOR_CHARACTERS: &str = "+-*/<>=~!@#%^&|?";
    let operator = text.trim_matches(' ');
    if operator.is_empty() {
        return Some("an operator needs at least one operator character");
    }
    if !operator.chars().all(|c| OPERATOR_CHARACTERS.contains(c)) {
        return Some("an operator is made of the characters + - * / < > = ~ ! @ # % ^ & | ? only: a word such as OR, AND or NOT, a quote, a semicolon or a space inside would change what the tenant filter's AND applies to");
    }
    if operator.contains("--") || operator.contains("/*") {
        return Some("`--` and `/*` start an SQL comment, which would hide the rest of the query");
    }
    None
}

/// The macro on `proc_macro2` tokens, so that it can be unit-tested.
pub fn tenant_infix_operator_inner(input: TokenStream) -> TokenStream {
    let WithKrate { krate, decl } = match syn::parse2::<WithKrate<OperatorDecl>>(input) {
        Ok(parsed) => parsed,
        Err(error) => return error.into_compile_error(),
    };
    if let Some(problem) = operator_text_problem(&decl.text.value()) {
        return syn::Error::new(
            decl.text.span(),
            format!("`{}` is not an operator tenant_infix_operator! can check: {problem}; the correct format looks like tenant_infix_operator!(Similar, \" % \")", decl.text.value()),
        )
        .into_compile_error();
    }
    let OperatorDecl { name, text, ret } = &decl;
    let declaration = match ret {
        Some(ret) => quote!(::diesel::infix_operator!(#name, #text, #ret);),
        None => quote!(::diesel::infix_operator!(#name, #text);),
    };
    let private = krate.private();
    let node = quote!(#private::proof::Node<#private::kind::Operator, (__L, __R), (__PL, __PR)>);
    quote! {
        #declaration

        #[automatically_derived]
        impl<__L, __R, __PL, __PR> #private::ImplementedByTenantDieselOnly<#node> for #name<__L, __R> {}

        #[automatically_derived]
        impl<__T, __L, __R, __PL, __PR> #krate::TenantSafe<__T, #node> for #name<__L, __R>
        where
            __L: #krate::TenantSafe<__T, __PL>,
            __R: #krate::TenantSafe<__T, __PR>,
        {
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_are_operator_characters_only() {
        for good in [" % ", "<->", " @@ ", "||", " ~* "] {
            assert_eq!(operator_text_problem(good), None, "{good}");
        }
        for bad in [
            " OR ",
            "or",
            " AND ",
            "",
            "  ",
            " -- ",
            "/*",
            "= 1; DROP",
            "'",
            " a ",
        ] {
            assert!(operator_text_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn a_sql_name_is_refused() {
        let out = tenant_sql_function_inner(quote! {
            #[sql_name = "1=1 OR abs"]
            fn evil(x: BigInt) -> BigInt;
        })
        .to_string();
        assert!(out.contains("compile_error"), "{out}");
        assert!(out.contains("sql_name"), "{out}");
    }

    #[test]
    fn a_leading_crate_names_the_path_of_tenant_diesel() {
        let function = tenant_sql_function_inner(quote! {
            crate = td;
            /// `lower(x)`
            fn lower(x: Text) -> Text;
        })
        .to_string();
        let operator =
            tenant_infix_operator_inner(quote!(crate = "facade::td"; Similar, " % ")).to_string();
        for out in [function, operator] {
            assert!(!out.contains("tenant_diesel"), "{out}");
            assert!(out.contains("td :: TenantSafe"), "{out}");
        }
    }

    #[test]
    fn a_function_checks_each_argument() {
        let out = tenant_sql_function_inner(quote! {
            fn lower(x: Text) -> Text;
        })
        .to_string();
        assert!(out.contains("lower_utils :: lower < __A0 , >"), "{out}");
        assert!(
            out.contains("__A0 : :: tenant_diesel :: TenantSafe < __T , __P0 >"),
            "{out}"
        );
    }
}
