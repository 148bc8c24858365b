//! Tokens moved to the span of the culprit, so that an error found by the types
//! in generated code points at the field the user wrote, not at the derive.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;

/// `tokens`, each at `span`.
pub fn respan(tokens: impl ToTokens, span: Span) -> TokenStream {
    tokens
        .to_token_stream()
        .into_iter()
        .map(|mut token| {
            token.set_span(span);
            token
        })
        .collect()
}
