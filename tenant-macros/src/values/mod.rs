//! `#[derive(TenantValues)]`: the struct may be inserted or used as a changeset
//! on a scoped write.
//!
//! Nothing here compares names. For each field the derive writes assertions that
//! the types check: the field's column is `WritableColumn` (a role only
//! `#[derive(TenantScoped)]` gives, and never to the tenant column, whatever its
//! spelling), the field's value is a Rust value or a safe expression of the table
//! (never a subquery), and an embedded struct is itself `TenantValues` of the
//! table.
//!
//! Split like the model's derive: [`ast`] reads the struct, [`attr`] its
//! attributes, [`valid`] checks the whole, [`expand`] writes the impls.

mod ast;
mod attr;
mod expand;
mod valid;

use proc_macro2::TokenStream;
use syn::DeriveInput;

use crate::ctxt::Ctxt;

/// The derive on `proc_macro2` tokens, so that it can be unit-tested.
pub fn derive_tenant_values_inner(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::default();
    let parsed = ast::ValuesStruct::from_syn(&cx, input);
    let validated = parsed.and_then(|parsed| valid::validate(&cx, input, parsed));
    match (cx.check(), validated) {
        (Ok(()), Some(values)) => expand::expand(input, &values),
        (Err(errors), _) => errors.into_compile_error(),
        (Ok(()), None) => unreachable!("validation failed without reporting an error"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

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

    #[test]
    fn every_generated_path_goes_through_crate() {
        let out = expand_str(quote! {
            #[diesel(table_name = accounts)]
            #[tenant(crate = td)]
            struct NewAccount { name: String, #[diesel(embed)] more: More }
        });
        assert!(!out.contains("tenant_diesel"), "{out}");
        assert!(
            out.contains("td :: __private :: values_column_is_writable"),
            "{out}"
        );
    }

    #[test]
    fn every_error_is_reported_at_once() {
        let out = expand_str(quote! {
            #[tenant(crate = 42)]
            struct NewAccount { #[tenant(column = x)] name: String }
        });
        assert!(
            out.contains("expected the path of the tenant-diesel crate"),
            "{out}"
        );
        assert!(out.contains("belongs on the model"), "{out}");
        assert!(out.contains("missing #[diesel(table_name"), "{out}");
    }
}
