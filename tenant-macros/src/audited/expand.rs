//! The one statement `#[audited]` adds in front of the function's body.

use proc_macro2::TokenStream;
use quote::quote;
use syn::ItemFn;

use super::valid::Validated;

/// `function` with the audit record as its first statement.
pub fn expand(mut function: ItemFn, validated: &Validated) -> TokenStream {
    let Validated {
        action,
        target,
        ctx,
        audit,
        krate,
    } = validated;
    let private = krate.private();
    let target = match target {
        // Typed, not cast: `as` here would be a trivial cast to `trivial_casts`.
        Some(target) => {
            quote!(::core::option::Option::Some::<&dyn ::core::fmt::Display>(&#target))
        }
        None => quote!(::core::option::Option::None),
    };
    let record: syn::Stmt = syn::parse_quote! {
        // Recorded before the body runs: under a fail-closed auditor an action
        // that cannot be audited does not happen.
        #private::audit_action(&#audit, &#ctx, #action, #target)?;
    };
    function.block.stmts.insert(0, record);
    quote!(#function)
}
