//! Derives for `tenant-diesel`. Use them through that crate: generated code names
//! only paths under tenant-diesel, `::tenant_diesel` unless `crate = ..` says
//! another (a renamed dependency, a facade), and mostly its `__private` module,
//! which is why tenant-diesel pins this crate to its exact version.
//!
//! Entry points only; the work is split like `thiserror`'s (private modules): `ast` reads the
//! input, `attr` parses `#[tenant(..)]` and the `#[diesel(..)]` keys we need,
//! `valid` checks them, `expand` writes the impls (`through` those of a
//! table reached through its parent) and `fallback` what is
//! emitted beside the errors on bad input. `values` (the `TenantValues`
//! derive) and `audited` (the attribute) are split the same way, in their own
//! directories. Every macro reports through one `ctxt::Ctxt`, so a run reports
//! every mistake; `krate` is the `crate = ..` option all of them share.
#![forbid(unsafe_code)]

mod ast;
mod attr;
mod audited;
mod constructor;
mod ctxt;
mod expand;
mod fallback;
mod krate;
mod respan;
mod sql;
mod through;
mod valid;
mod values;

use proc_macro::TokenStream;

/// Derives `Model::scoped(&ctx)`; see `tenant_diesel::TenantScoped`.
#[proc_macro_derive(TenantScoped, attributes(tenant, diesel))]
pub fn derive_tenant_scoped(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive_tenant_scoped_inner(&input).into()
}

/// Checks write structs for scoped writes; see `tenant_diesel::TenantValues`.
#[proc_macro_derive(TenantValues, attributes(tenant, diesel))]
pub fn derive_tenant_values(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    values::derive_tenant_values_inner(&input).into()
}

/// Audits an action function; see `tenant_diesel::audited`.
#[proc_macro_attribute]
pub fn audited(args: TokenStream, item: TokenStream) -> TokenStream {
    audited::audited_inner(args.into(), item.into()).into()
}

/// Declares an SQL function whose arguments scoped queries check; see
/// `tenant_diesel::tenant_sql_function`.
#[proc_macro]
pub fn tenant_sql_function(input: TokenStream) -> TokenStream {
    sql::tenant_sql_function_inner(input.into()).into()
}

/// Declares an SQL operator whose operands scoped queries check; see
/// `tenant_diesel::tenant_infix_operator`.
#[proc_macro]
pub fn tenant_infix_operator(input: TokenStream) -> TokenStream {
    sql::tenant_infix_operator_inner(input.into()).into()
}
