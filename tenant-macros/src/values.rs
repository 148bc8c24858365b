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
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, Type};

use crate::attr::{Container, Ctxt};

/// The derive on `proc_macro2` tokens, so that it can be unit-tested.
pub fn derive_tenant_values_inner(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::default();
    let parsed = parse(&cx, input);
    match (cx.check(), parsed) {
        (Ok(()), Some(values)) => expand(input, &values),
        (Err(errors), _) => errors.into_compile_error(),
        (Ok(()), None) => unreachable!("validation failed without reporting an error"),
    }
}

/// One field of a values struct, as Diesel's `Insertable`/`AsChangeset` read it.
struct ValueField {
    ident: Ident,
    /// `#[diesel(column_name = ..)]`, else the field's name.
    column: Ident,
    /// The field's type.
    ty: Type,
    /// `#[diesel(serialize_as = ..)]`: the field is converted to it and written.
    serialize_as: Option<Type>,
    /// `#[diesel(embed)]`: a struct of more values.
    embed: bool,
    /// `#[diesel(skip_insertion)]`: not inserted.
    skip_insertion: bool,
    /// `#[diesel(skip_update)]`: not updated.
    skip_update: bool,
    /// `#[diesel(treat_none_as_default_value = ..)]` on the field.
    none_as_default: Option<bool>,
    /// `#[diesel(treat_none_as_null = ..)]` on the field.
    none_as_null: Option<bool>,
}

impl ValueField {
    /// What is written: the `serialize_as` type, else the field's own.
    fn written_type(&self) -> &Type {
        self.serialize_as.as_ref().unwrap_or(&self.ty)
    }
}

/// The struct-level `#[diesel(..)]` keys that change what is written.
struct Semantics {
    /// `#[diesel(primary_key(..))]`, else `id`: an update never sets them.
    primary_key: Vec<Ident>,
    /// `#[diesel(treat_none_as_default_value = ..)]`, `true` unless said.
    none_as_default: bool,
    /// `#[diesel(treat_none_as_null = ..)]`, `false` unless said.
    none_as_null: bool,
}

struct ValuesStruct {
    table: syn::Path,
    semantics: Semantics,
    fields: Vec<ValueField>,
}

fn parse(cx: &Ctxt, input: &DeriveInput) -> Option<ValuesStruct> {
    let ident = &input.ident;
    let container = Container::from_attrs(cx, &input.attrs);
    if let Some(column) = &container.tenant_column {
        cx.error_spanned_by(
            column,
            format!("TenantValues takes no #[tenant(column = ..)]: the tenant column is the one the model's `#[derive(TenantScoped)]` declares, and each field of `{ident}` is checked against it by type"),
        );
    }
    let semantics = parse_semantics(cx, &input.attrs);
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
    Some(ValuesStruct {
        table,
        semantics,
        fields,
    })
}

fn parse_semantics(cx: &Ctxt, attrs: &[syn::Attribute]) -> Semantics {
    let mut semantics = Semantics {
        primary_key: vec![Ident::new("id", proc_macro2::Span::call_site())],
        none_as_default: true,
        none_as_null: false,
    };
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("diesel")) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("primary_key") {
                // #[diesel(primary_key(tenant_id, id))]
                let mut keys = Vec::new();
                meta.parse_nested_meta(|key| {
                    keys.push(key.path.require_ident()?.clone());
                    Ok(())
                })?;
                semantics.primary_key = keys;
            } else if meta.path.is_ident("treat_none_as_default_value") {
                semantics.none_as_default = meta.value()?.parse::<syn::LitBool>()?.value;
            } else if meta.path.is_ident("treat_none_as_null") {
                semantics.none_as_null = meta.value()?.parse::<syn::LitBool>()?.value;
            } else {
                skip(&meta)?;
            }
            Ok(())
        });
        if let Err(error) = result {
            cx.push(error);
        }
    }
    semantics
}

/// Skips a key this derive does not read: `key`, `key = value` or `key(..)`.
fn skip(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.input.parse::<proc_macro2::Group>()?;
    }
    Ok(())
}

fn parse_field(cx: &Ctxt, field: &syn::Field) -> Option<ValueField> {
    let ident = field.ident.clone()?;
    let mut parsed = ValueField {
        column: ident.clone(),
        ident,
        ty: field.ty.clone(),
        serialize_as: None,
        embed: false,
        skip_insertion: false,
        skip_update: false,
        none_as_default: None,
        none_as_null: None,
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
                parsed.serialize_as = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("embed") {
                // #[diesel(embed)]
                parsed.embed = true;
            } else if meta.path.is_ident("skip_insertion") {
                parsed.skip_insertion = true;
            } else if meta.path.is_ident("skip_update") {
                parsed.skip_update = true;
            } else if meta.path.is_ident("treat_none_as_default_value") {
                parsed.none_as_default = Some(meta.value()?.parse::<syn::LitBool>()?.value);
            } else if meta.path.is_ident("treat_none_as_null") {
                parsed.none_as_null = Some(meta.value()?.parse::<syn::LitBool>()?.value);
            } else {
                skip(&meta)?;
            }
            Ok(())
        });
        if let Err(error) = result {
            cx.push(error);
        }
    }
    if parsed.embed && parsed.serialize_as.is_some() {
        cx.error_spanned_by(
            &field.ty,
            "`#[diesel(embed)]` cannot be combined with `#[diesel(serialize_as)]`",
        );
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

/// `Option<X>`'s `X`, if `ty` is an `Option`.
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}

/// Which of the two writes a value list is for.
#[derive(Clone, Copy, PartialEq)]
enum Write {
    Insert,
    Update,
}

/// Whether the values are taken from `Self` or from `&'__tenant_values Self`.
#[derive(Clone, Copy, PartialEq)]
enum Access {
    Owned,
    Borrowed,
}

/// One entry of the values tuple: its type and the expression that builds it.
struct Entry {
    ty: TokenStream,
    expr: TokenStream,
}

/// The entry for one field, exactly as Diesel's own derives would write it, so
/// that the SQL is the same; only ever built from a field the derive checked.
fn entry(values: &ValuesStruct, field: &ValueField, write: Write, access: Access) -> Option<Entry> {
    let private = quote!(::tenant_diesel::__private);
    let table = &values.table;
    let name = &field.ident;
    let skipped = match write {
        Write::Insert => field.skip_insertion,
        // As Diesel's `AsChangeset`: an update never sets the primary key.
        Write::Update => {
            field.skip_update
                || values
                    .semantics
                    .primary_key
                    .iter()
                    .any(|key| key.unraw() == field.column.unraw())
        }
    };
    if skipped {
        return None;
    }
    let (lifetime, reference) = match access {
        Access::Owned => (quote!(), quote!()),
        Access::Borrowed => (quote!(&'__tenant_values), quote!(&)),
    };
    if field.embed {
        let ty = &field.ty;
        let (assoc, method) = match write {
            Write::Insert => (quote!(InsertValues), quote!(insert_values)),
            Write::Update => (quote!(Changes), quote!(changes)),
        };
        // An embedded struct that is not `TenantValues` is reported at the field.
        let trait_at_field = quote_spanned!(ty.span()=> ::tenant_diesel::TenantValues);
        return Some(Entry {
            ty: quote!(<#lifetime #ty as #trait_at_field<#table::table>>::#assoc),
            expr: quote!(::tenant_diesel::TenantValues::<#table::table>::#method(#reference self.#name)),
        });
    }
    // A `None` is left out (the column's DEFAULT, or not set) unless the
    // struct or the field says it means NULL.
    let none_is_left_out = match write {
        Write::Insert => field
            .none_as_default
            .unwrap_or(values.semantics.none_as_default),
        Write::Update => !field.none_as_null.unwrap_or(values.semantics.none_as_null),
    };
    let field_column = &field.column;
    let column = quote!(#table::#field_column);
    let written = field.written_type();
    let value = match &field.serialize_as {
        Some(target) => quote!(::std::convert::Into::<#target>::into(self.#name)),
        None => quote!(#reference self.#name),
    };
    let eq = |x: TokenStream| quote!(#private::ExpressionMethods::eq(#column, #x));
    match option_inner(written).filter(|_| none_is_left_out) {
        Some(inner) => {
            let present = match (&field.serialize_as, access) {
                (None, Access::Borrowed) => quote!(self.#name.as_ref()),
                _ => quote!(#value),
            };
            let set = eq(quote!(value));
            Some(Entry {
                ty: quote!(::std::option::Option<#private::dsl::Eq<#column, #lifetime #inner>>),
                expr: quote!(#present.map(|value| #set)),
            })
        }
        None => Some(Entry {
            ty: quote!(#private::dsl::Eq<#column, #lifetime #written>),
            expr: eq(value),
        }),
    }
}

/// The `TenantValues` impl for `Self` or `&Self`: its values built from the fields.
fn values_impl(input: &DeriveInput, values: &ValuesStruct, access: Access) -> TokenStream {
    let ident = &input.ident;
    let table = &values.table;
    let private = quote!(::tenant_diesel::__private);
    let (_, ty_generics, _) = input.generics.split_for_impl();
    let mut generics = input.generics.clone();
    let target = match access {
        Access::Owned => quote!(#ident #ty_generics),
        Access::Borrowed => {
            generics
                .params
                .insert(0, syn::parse_quote!('__tenant_values));
            quote!(&'__tenant_values #ident #ty_generics)
        }
    };
    // A borrowed struct is values when each struct it embeds is, borrowed (one
    // converted by `serialize_as` is not): said as a bound, not assumed.
    if access == Access::Borrowed {
        let clause = generics.make_where_clause();
        for field in values.fields.iter().filter(|field| field.embed) {
            let ty = &field.ty;
            clause.predicates.push(syn::parse_quote!(
                &'__tenant_values #ty: ::tenant_diesel::TenantValues<#table::table>
            ));
        }
    }
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    let tuple = |write: Write| {
        let entries: Vec<Entry> = values
            .fields
            .iter()
            .filter_map(|field| entry(values, field, write, access))
            .collect();
        let types = entries.iter().map(|entry| &entry.ty);
        let exprs = entries.iter().map(|entry| &entry.expr);
        (quote!((#(#types,)*)), quote!((#(#exprs,)*)))
    };
    let (insert_ty, insert_expr) = tuple(Write::Insert);
    let (update_ty, update_expr) = tuple(Write::Update);
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::ImplementedByTenantDieselOnly<#table::table>
            for #target #where_clause {}
        #[automatically_derived]
        impl #impl_generics ::tenant_diesel::TenantValues<#table::table>
            for #target #where_clause
        {
            type InsertValues = #insert_ty;
            type Changes = #update_ty;
            fn insert_values(self) -> Self::InsertValues {
                #insert_expr
            }
            fn changes(self) -> Self::Changes {
                #update_expr
            }
        }
    }
}

/// The assertions, one per written field, that the types check: its column is
/// writable, its value a value (or an embedded struct of checked values).
fn field_checks(values: &ValuesStruct) -> Vec<TokenStream> {
    let private = quote!(::tenant_diesel::__private);
    let table = &values.table;
    let written = |field: &&ValueField| !(field.skip_insertion && field.skip_update);
    values
        .fields
        .iter()
        .filter(written)
        .map(|field| {
            let span = field.ident.span();
            if field.embed {
                let ty = &field.ty;
                return quote_spanned! {span=>
                    #private::values_embed::<#ty, #table::table>();
                };
            }
            let column = &field.column;
            let written = field.written_type();
            let value = option_inner(written).unwrap_or(written);
            let value_span = written.span();
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
        })
        .collect()
}

fn expand(input: &DeriveInput, values: &ValuesStruct) -> TokenStream {
    let (impl_generics, _, where_clause) = input.generics.split_for_impl();
    let owned = values_impl(input, values, Access::Owned);
    // `&'v Self` too, as Diesel's derives do, unless a field is converted by
    // `serialize_as` (which needs the field by value).
    let borrowed = if values.fields.iter().any(|f| f.serialize_as.is_some()) {
        quote!()
    } else {
        values_impl(input, values, Access::Borrowed)
    };
    let checks = field_checks(values);
    quote! {
        const _: () = {
            #owned
            #borrowed

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
