//! `crate = path`: the path by which generated code names tenant-diesel, like
//! serde's `#[serde(crate = "..")]`. `::tenant_diesel` unless the user says
//! otherwise, for a crate that renames the dependency
//! (`td = { package = "tenant-diesel", .. }`) or reaches it through a facade.
//!
//! It only changes which paths the expansion names. A look-alike with a seal of
//! its own yields impls of its own traits, which tenant-diesel's bounds refuse;
//! but the expansion trusts whatever the path leads to, so a look-alike that
//! re-exports tenant-diesel's `__private` and shadows one item of it (a column's
//! role, a check function) makes the derive declare what only a hand-written
//! impl could. The path is a trust decision of the application's, to review
//! like a hand-written impl of a sealed trait.

use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use syn::parse::ParseStream;
use syn::{Path, Token};

use crate::ctxt::Ctxt;

/// The path of tenant-diesel in the caller's crate.
#[derive(Clone)]
pub struct Krate(Path);

impl Default for Krate {
    /// `::tenant_diesel`, the crate under its own name.
    fn default() -> Self {
        Krate(syn::parse_quote!(::tenant_diesel))
    }
}

impl Krate {
    /// `<crate>::__private`: the items generated code uses and users do not.
    pub fn private(&self) -> TokenStream {
        quote!(#self::__private)
    }
}

impl ToTokens for Krate {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.0.to_tokens(tokens);
    }
}

/// The error sentence of a `crate = ` value that is not a path; `syntax` shows
/// the right form in the attribute at hand.
fn not_a_path(span: Span, syntax: &str) -> syn::Error {
    syn::Error::new(
        span,
        format!(
            "expected the path of the tenant-diesel crate after `crate =`, such as `td`, `facade::td` or \"td\"; the correct format looks like {syntax}"
        ),
    )
}

/// Parses the value after `crate =`: a module path (`td`, `::td`,
/// `facade::td`) or a string holding one (`"td"`, as serde spells it).
pub fn parse_value(input: ParseStream<'_>, syntax: &str) -> syn::Result<Krate> {
    if input.peek(syn::LitStr) {
        let lit: syn::LitStr = input.parse()?;
        // `parse_with` gives the path the literal's span.
        return lit
            .parse_with(Path::parse_mod_style)
            .map(Krate)
            .map_err(|_| not_a_path(lit.span(), syntax));
    }
    let span = input.span();
    Path::parse_mod_style(input)
        .map(Krate)
        .map_err(|_| not_a_path(span, syntax))
}

/// `crate = ..` once per macro: a second is reported at its key.
#[derive(Default)]
pub struct KrateSlot(Option<Krate>);

impl KrateSlot {
    /// Reads `= path` after the key `key` (the `crate` token, for the error's
    /// span) and keeps it, unless one was given already.
    pub fn set(
        &mut self,
        cx: &Ctxt,
        key: impl ToTokens,
        input: ParseStream<'_>,
        attribute: &str,
        syntax: &str,
    ) -> syn::Result<()> {
        if input.parse::<Option<Token![=]>>()?.is_none() {
            return Err(syn::Error::new(
                input.span(),
                format!(
                    "expected `crate = ..` in {attribute}; the correct format looks like {syntax}"
                ),
            ));
        }
        let value = parse_value(input, syntax)?;
        if self.0.is_some() {
            cx.error_spanned_by(
                key,
                format!("duplicate `crate` in {attribute}; name the path of tenant-diesel once: {syntax}"),
            );
        } else {
            self.0 = Some(value);
        }
        Ok(())
    }

    /// The path given, else `::tenant_diesel`.
    pub fn get(self) -> Krate {
        self.0.unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse::Parser;

    fn parse(tokens: TokenStream) -> syn::Result<String> {
        (|input: ParseStream<'_>| parse_value(input, "#[tenant(crate = td)]"))
            .parse2(tokens)
            .map(|krate| krate.to_token_stream().to_string())
    }

    #[test]
    fn a_path_or_a_string_holding_one() {
        assert_eq!(parse(quote!(td)).unwrap(), "td");
        assert_eq!(parse(quote!(facade::td)).unwrap(), "facade :: td");
        assert_eq!(parse(quote!(::td)).unwrap(), ":: td");
        assert_eq!(parse(quote!("facade::td")).unwrap(), "facade :: td");
        assert_eq!(parse(quote!(crate::td)).unwrap(), "crate :: td");
    }

    #[test]
    fn anything_else_is_refused_with_our_sentence() {
        for bad in [quote!(42), quote!("not a path!"), quote!("")] {
            let error = parse(bad).unwrap_err().to_string();
            assert!(
                error.starts_with("expected the path of the tenant-diesel crate"),
                "{error}"
            );
        }
    }

    #[test]
    fn the_default_is_the_crate_under_its_own_name() {
        assert_eq!(
            Krate::default().private().to_string(),
            ":: tenant_diesel :: __private"
        );
    }
}
