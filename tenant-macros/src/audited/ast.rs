//! The item under `#[audited]`: a function, and the names of its parameters.

use proc_macro2::{Span, TokenStream};
use syn::{FnArg, Ident, ItemFn, Pat};

/// Reads the item; on anything but a function, the error to report beside it.
pub fn parse(item: TokenStream) -> syn::Result<ItemFn> {
    syn::parse2(item).map_err(|_| {
        syn::Error::new(
            Span::call_site(),
            "#[audited] goes on a function: `#[audited(action = \"..\")] fn ..`",
        )
    })
}

/// The names of the function's plain parameters (`name: Type`).
pub fn parameter_names(function: &ItemFn) -> Vec<Ident> {
    function
        .sig
        .inputs
        .iter()
        .filter_map(|arg| match arg {
            FnArg::Typed(typed) => match &*typed.pat {
                Pat::Ident(pat) => Some(pat.ident.clone()),
                _ => None,
            },
            FnArg::Receiver(_) => None,
        })
        .collect()
}
