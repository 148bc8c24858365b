//! Writes the impls of `#[derive(TenantValues)]`: the struct may be inserted or
//! used as a changeset on a scoped write because no field maps to the tenant column.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::DeriveInput;

use crate::ast::Model;
use crate::attr::Ctxt;

/// The derive on `proc_macro2` tokens, so that it can be unit-tested.
pub fn derive_tenant_values_inner(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::default();
    let model = Model::from_syn(&cx, input, "TenantValues");
    let table = model.as_ref().and_then(|model| validate(&cx, model));
    match (cx.check(), table) {
        (Ok(()), Some(table)) => expand(input, &table),
        (Err(errors), _) => errors.into_compile_error(),
        (Ok(()), None) => unreachable!("validation failed without reporting an error"),
    }
}

/// The table, once no field is found to write the tenant column.
fn validate(cx: &Ctxt, model: &Model<'_>) -> Option<syn::Path> {
    let ident = &model.original.ident;
    let tenant_column = model
        .attrs
        .tenant_column
        .clone()
        .unwrap_or_else(|| format_ident!("tenant_id"));
    for field in &model.fields {
        if field.column == tenant_column {
            let via = if field.ident == field.column {
                String::new()
            } else {
                format!(" (through #[diesel(column_name = {})])", field.column)
            };
            cx.error_spanned_by(
                &field.ident,
                format!("`{}` writes the tenant column `{tenant_column}`{via}: remove the field, the scope stamps the tenant from the context (`Model::scoped(&ctx).insert(&values)`)", field.ident),
            );
        }
    }
    let table = model.attrs.table_name.clone();
    if table.is_none() {
        cx.error_spanned_by(
            ident,
            format!("missing #[diesel(table_name = ..)] on `{ident}`: TenantValues needs the table it writes; the correct format looks like #[diesel(table_name = accounts)]"),
        );
    }
    table
}

fn expand(input: &DeriveInput, table: &syn::Path) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    // `&'v Self` too: Diesel inserts and updates usually take the values by reference.
    let mut borrowed_generics = input.generics.clone();
    borrowed_generics
        .params
        .insert(0, syn::parse_quote!('__tenant_values));
    let (borrowed_impl_generics, _, _) = borrowed_generics.split_for_impl();
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #impl_generics ::tenant_diesel::TenantValues<#table::table>
                for #ident #ty_generics #where_clause {}

            #[automatically_derived]
            impl #borrowed_impl_generics ::tenant_diesel::TenantValues<#table::table>
                for &'__tenant_values #ident #ty_generics #where_clause {}
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
    fn a_struct_without_the_tenant_column_gets_both_impls() {
        let out = expand_str(quote! {
            #[diesel(table_name = accounts)]
            struct NewAccount { name: String }
        });
        assert_eq!(
            out.matches("TenantValues < accounts :: table >").count(),
            2,
            "{out}"
        );
    }

    #[test]
    fn a_renamed_tenant_field_is_refused() {
        let out = expand_str(quote! {
            #[diesel(table_name = accounts)]
            struct NewAccount { name: String, #[diesel(column_name = tenant_id)] owner: i64 }
        });
        assert!(
            out.contains("through #[diesel(column_name = tenant_id)]"),
            "{out}"
        );
    }
}
