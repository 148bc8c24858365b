//! Writes the impls of `#[derive(TenantValues)]`: the struct may be inserted or
//! used as a changeset on a scoped write.
//!
//! Nothing here compares names. For each field the derive writes assertions that
//! the types check: the field's column is `WritableColumn` (a role only
//! `#[derive(TenantScoped)]` gives, and never to the tenant column, whatever its
//! spelling), the field's value is a Rust value or a safe expression of the table
//! (never a subquery), and an embedded struct is itself `TenantValues` of the
//! table.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, Type};

use crate::attr::{Container, Ctxt};

/// The derive on `proc_macro2` tokens, so that it can be unit-tested.
pub fn derive_tenant_values_inner(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::default();
    let parsed = parse(&cx, input);
    match (cx.check(), parsed) {
        (Ok(()), Some((table, fields))) => expand(input, &table, &fields),
        (Err(errors), _) => errors.into_compile_error(),
        (Ok(()), None) => unreachable!("validation failed without reporting an error"),
    }
}

/// One field of a values struct, as Diesel's `Insertable`/`AsChangeset` read it.
struct ValueField {
    ident: Ident,
    /// `#[diesel(column_name = ..)]`, else the field's name.
    column: Ident,
    /// What is written: `#[diesel(serialize_as = ..)]`, else the field's type.
    value: Type,
    /// `#[diesel(embed)]`: a struct of more values.
    embed: bool,
    /// `#[diesel(skip_insertion)]` / `#[diesel(skip_update)]`: not written.
    skipped: bool,
}

fn parse(cx: &Ctxt, input: &DeriveInput) -> Option<(syn::Path, Vec<ValueField>)> {
    let ident = &input.ident;
    let container = Container::from_attrs(cx, &input.attrs);
    if let Some(column) = &container.tenant_column {
        cx.error_spanned_by(
            column,
            format!("TenantValues takes no #[tenant(column = ..)]: the tenant column is the one the model's `#[derive(TenantScoped)]` declares, and each field of `{ident}` is checked against it by type"),
        );
    }
    let Data::Struct(data) = &input.data else {
        cx.error_spanned_by(
            ident,
            "TenantValues can only be derived for a struct with named fields, one per column: `struct NewAccount { name: String, .. }`",
        );
        return None;
    };
    let Fields::Named(named) = &data.fields else {
        cx.error_spanned_by(
            ident,
            "TenantValues can only be derived for a struct with named fields, one per column: `struct NewAccount { name: String, .. }`",
        );
        return None;
    };
    let fields = named
        .named
        .iter()
        .filter_map(|field| parse_field(cx, field))
        .collect();
    let Some(table) = container.table_name else {
        cx.error_spanned_by(
            ident,
            format!("missing #[diesel(table_name = ..)] on `{ident}`: TenantValues needs the table it writes; the correct format looks like #[diesel(table_name = accounts)]"),
        );
        return None;
    };
    Some((table, fields))
}

fn parse_field(cx: &Ctxt, field: &syn::Field) -> Option<ValueField> {
    let ident = field.ident.clone()?;
    let mut parsed = ValueField {
        column: ident.clone(),
        ident,
        value: field.ty.clone(),
        embed: false,
        skipped: false,
    };
    for attr in &field.attrs {
        if attr.path().is_ident("tenant") {
            cx.error_spanned_by(
                attr,
                "#[tenant(..)] belongs on the model that derives TenantScoped, not on a values field",
            );
        }
        if !attr.path().is_ident("diesel") {
            continue;
        }
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("column_name") {
                // #[diesel(column_name = tenant_id)]
                parsed.column = meta.value()?.parse()?;
            } else if meta.path.is_ident("serialize_as") {
                // #[diesel(serialize_as = String)]
                parsed.value = meta.value()?.parse()?;
            } else if meta.path.is_ident("embed") {
                // #[diesel(embed)]
                parsed.embed = true;
            } else if meta.path.is_ident("skip_insertion") || meta.path.is_ident("skip_update") {
                // #[diesel(skip_insertion)], #[diesel(skip_update)]
                parsed.skipped = true;
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            } else if meta.input.peek(syn::token::Paren) {
                meta.input.parse::<proc_macro2::Group>()?;
            }
            Ok(())
        });
        if let Err(error) = result {
            cx.push(error);
        }
    }
    Some(parsed)
}

/// `path`'s tokens, all at `span`.
fn respan(path: &syn::Path, span: proc_macro2::Span) -> TokenStream {
    quote::ToTokens::to_token_stream(path)
        .into_iter()
        .map(|mut token| {
            token.set_span(span);
            token
        })
        .collect()
}

/// `Option<X>`'s `X`: an optional field writes `X` when it is `Some`.
fn unwrap_option(ty: &Type) -> &Type {
    if let Type::Path(path) = ty {
        if let Some(last) = path.path.segments.last() {
            if last.ident == "Option" {
                if let syn::PathArguments::AngleBracketed(args) = &last.arguments {
                    if let Some(syn::GenericArgument::Type(inner)) = args.args.first() {
                        return inner;
                    }
                }
            }
        }
    }
    ty
}

fn expand(input: &DeriveInput, table: &syn::Path, fields: &[ValueField]) -> TokenStream {
    let ident = &input.ident;
    let private = quote!(::tenant_diesel::__private);
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    // `&'v Self` too: Diesel inserts and updates usually take the values by reference.
    let mut borrowed_generics = input.generics.clone();
    borrowed_generics
        .params
        .insert(0, syn::parse_quote!('__tenant_values));
    let (borrowed_impl_generics, _, _) = borrowed_generics.split_for_impl();
    let checks = fields.iter().filter(|f| !f.skipped).map(|field| {
        let span = field.ident.span();
        if field.embed {
            let ty = &field.value;
            return quote_spanned! {span=>
                #private::values_embed::<#ty, #table::table>();
            };
        }
        let column = &field.column;
        let value = unwrap_option(&field.value);
        let value_span = field.value.span();
        // The table's tokens come from the struct's attribute: re-spanned, an
        // error points at the field alone.
        let table_at_column = respan(table, column.span());
        let table_at_value = respan(table, value_span);
        let writable = quote_spanned! {column.span()=>
            #private::values_column_is_writable::<#table_at_column::#column>();
        };
        let safe = quote_spanned! {value_span=>
            #private::values_field_is_a_value::<#value, #table_at_value::#column, #table_at_value::table, _>();
        };
        quote!(#writable #safe)
    });
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #impl_generics #private::ImplementedByTenantDieselOnly<#table::table>
                for #ident #ty_generics #where_clause {}
            #[automatically_derived]
            impl #impl_generics ::tenant_diesel::TenantValues<#table::table>
                for #ident #ty_generics #where_clause {}

            #[automatically_derived]
            impl #borrowed_impl_generics #private::ImplementedByTenantDieselOnly<#table::table>
                for &'__tenant_values #ident #ty_generics #where_clause {}
            #[automatically_derived]
            impl #borrowed_impl_generics ::tenant_diesel::TenantValues<#table::table>
                for &'__tenant_values #ident #ty_generics #where_clause {}

            // Checked by the types: never called.
            #[allow(dead_code, clippy::extra_unused_type_parameters)]
            fn __tenant_values_fields #impl_generics () #where_clause {
                #(#checks)*
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand_str(input: TokenStream) -> String {
        derive_tenant_values_inner(&syn::parse2(input).unwrap()).to_string()
    }

    #[test]
    fn a_struct_gets_both_impls_and_a_check_per_field() {
        let out = expand_str(quote! {
            #[diesel(table_name = accounts)]
            struct NewAccount { name: String, balance: Option<i64> }
        });
        assert_eq!(
            out.matches("TenantValues < accounts :: table >").count(),
            2,
            "{out}"
        );
        assert!(
            out.contains("values_column_is_writable :: < accounts :: name >"),
            "{out}"
        );
        assert!(
            out.contains("values_field_is_a_value :: < i64 , accounts :: balance"),
            "{out}"
        );
    }

    #[test]
    fn a_renamed_field_is_checked_under_its_column() {
        let out = expand_str(quote! {
            #[diesel(table_name = accounts)]
            struct NewAccount { name: String, #[diesel(column_name = tenant_id)] owner: i64 }
        });
        // Not refused by name: the types refuse it (`tenant_id` is not writable).
        assert!(
            out.contains("values_column_is_writable :: < accounts :: tenant_id >"),
            "{out}"
        );
    }

    #[test]
    fn a_tenant_attribute_is_refused() {
        let out = expand_str(quote! {
            #[diesel(table_name = accounts)]
            #[tenant(column = owner)]
            struct NewAccount { name: String }
        });
        assert!(out.contains("TenantValues takes no #[tenant"), "{out}");
    }
}
