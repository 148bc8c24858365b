//! The `scoped(&ctx)` constructor every model gets, whether its table holds the
//! tenant column or reaches it through a parent: shared by [`crate::expand`]
//! and [`crate::through`], so neither imports the other.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::krate::Krate;

/// The model's `scoped(&ctx)`: the scope of its table, whose rows a context
/// whose ids widen to `id` opens, as the table's `OwnedTable` builds it.
pub(crate) fn scoped_constructor(
    input: &DeriveInput,
    krate: &Krate,
    doc: &str,
    table: &syn::Path,
    owned: &TokenStream,
    id: &TokenStream,
) -> TokenStream {
    let model = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let private = krate.private();
    quote! {
        #[automatically_derived]
        impl #impl_generics #model #ty_generics #where_clause {
            #[doc = #doc]
            pub fn scoped<__C>(ctx: &__C) -> #krate::Scoped<#table::table, #owned>
            where
                __C: #krate::AsTenantCtx + ?Sized,
                __C::Id: #krate::WidensTo<#id>,
            {
                #private::scope_owned::<#table::table, __C>(ctx)
            }
        }
    }
}
