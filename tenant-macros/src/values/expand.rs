//! Writes the impls of `#[derive(TenantValues)]`: its values, built from the
//! fields exactly as Diesel's own derives build them, and the assertions the
//! types check for each field.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{DeriveInput, Type};

use super::ast::ValueField;
use super::valid::Validated;
use crate::respan::respan;

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
fn entry(values: &Validated, field: &ValueField, write: Write, access: Access) -> Option<Entry> {
    let krate = &values.krate;
    let private = krate.private();
    let table = &values.table;
    let name = &field.ident;
    let skipped = match write {
        Write::Insert => field.attrs.skip_insertion,
        // As Diesel's `AsChangeset`: an update never sets the primary key.
        Write::Update => {
            field.attrs.skip_update
                || values
                    .values
                    .attrs
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
    if field.attrs.embed {
        let ty = &field.ty;
        let (assoc, method) = match write {
            Write::Insert => (quote!(InsertValues), quote!(insert_values)),
            Write::Update => (quote!(Changes), quote!(changes)),
        };
        // An embedded struct that is not `TenantValues` is reported at the field.
        let krate_at_field = respan(krate, ty.span());
        let trait_at_field = quote_spanned!(ty.span()=> #krate_at_field::TenantValues);
        return Some(Entry {
            ty: quote!(<#lifetime #ty as #trait_at_field<#table::table>>::#assoc),
            expr: quote!(#krate::TenantValues::<#table::table>::#method(#reference self.#name)),
        });
    }
    // A `None` is left out (the column's DEFAULT, or not set) unless the
    // struct or the field says it means NULL.
    let none_is_left_out = match write {
        Write::Insert => field
            .attrs
            .none_as_default
            .unwrap_or(values.values.attrs.none_as_default),
        Write::Update => !field
            .attrs
            .none_as_null
            .unwrap_or(values.values.attrs.none_as_null),
    };
    let field_column = &field.column;
    let column = quote!(#table::#field_column);
    let written = field.written_type();
    let value = match &field.attrs.serialize_as {
        Some(target) => quote!(::std::convert::Into::<#target>::into(self.#name)),
        None => quote!(#reference self.#name),
    };
    let eq = |x: TokenStream| quote!(#private::ExpressionMethods::eq(#column, #x));
    match option_inner(written).filter(|_| none_is_left_out) {
        Some(inner) => {
            let present = match (&field.attrs.serialize_as, access) {
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
fn values_impl(input: &DeriveInput, values: &Validated, access: Access) -> TokenStream {
    let ident = &input.ident;
    let table = &values.table;
    let krate = &values.krate;
    let private = krate.private();
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
        for field in values
            .values
            .fields
            .iter()
            .filter(|field| field.attrs.embed)
        {
            let ty = &field.ty;
            clause.predicates.push(syn::parse_quote!(
                &'__tenant_values #ty: #krate::TenantValues<#table::table>
            ));
        }
    }
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    let tuple = |write: Write| {
        let entries: Vec<Entry> = values
            .values
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
        impl #impl_generics #krate::TenantValues<#table::table>
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
fn field_checks(values: &Validated) -> Vec<TokenStream> {
    let private = values.krate.private();
    let table = &values.table;
    let written = |field: &&ValueField| !(field.attrs.skip_insertion && field.attrs.skip_update);
    values
        .values
        .fields
        .iter()
        .filter(written)
        .map(|field| {
            let span = field.ident.span();
            if field.attrs.embed {
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

/// The impls of the derive, for a struct that passed validation.
pub fn expand(input: &DeriveInput, values: &Validated) -> TokenStream {
    let (impl_generics, _, where_clause) = input.generics.split_for_impl();
    let owned = values_impl(input, values, Access::Owned);
    // `&'v Self` too, as Diesel's derives do, unless a field is converted by
    // `serialize_as` (which needs the field by value).
    let borrowed = if values
        .values
        .fields
        .iter()
        .any(|f| f.attrs.serialize_as.is_some())
    {
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
            #[allow(dead_code, non_snake_case, clippy::all, clippy::pedantic)]
            fn __tenant_values_fields #impl_generics () #where_clause {
                #(#checks)*
            }
        };
    }
}
