//! What is emitted beside the errors on bad input, so that rustc does not add
//! "no function named `scoped`" at every call site on top of the real mistake.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::ast::Model;

/// A `scoped` with a plausible type and no body, when the table is known.
pub fn expand(input: &DeriveInput, model: Option<&Model<'_>>) -> TokenStream {
    let Some(model) = model else {
        return TokenStream::new();
    };
    let Some(table) = model.attrs.table_name.as_ref() else {
        return TokenStream::new();
    };
    let krate = &model.attrs.krate;
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #ident #ty_generics #where_clause {
            #[doc(hidden)]
            pub fn scoped(
                _ctx: &(impl #krate::AsTenantCtx + ?Sized),
            ) -> #krate::Scoped<#table::table, #table::table> {
                ::core::unreachable!("the TenantScoped derive failed: see the compile error above")
            }
        }
    }
}
