//! The error collector every macro of this crate reports through (serde's
//! `Ctxt`): each mistake is recorded where it is found, and one run reports them
//! all, combined, instead of stopping at the first.

use std::cell::RefCell;

use quote::ToTokens;

/// Collects errors so that every mistake is reported at once.
#[derive(Default)]
pub struct Ctxt {
    errors: RefCell<Vec<syn::Error>>,
}

impl Ctxt {
    /// Records `message` at the span of `tokens`, the smallest culprit.
    pub fn error_spanned_by(&self, tokens: impl ToTokens, message: impl std::fmt::Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// Records an error built elsewhere (a parse error of `syn`'s, say).
    pub fn push(&self, error: syn::Error) {
        self.errors.borrow_mut().push(error);
    }

    /// All collected errors as one, or `Ok` when there were none.
    pub fn check(self) -> syn::Result<()> {
        let mut errors = self.errors.into_inner().into_iter();
        let Some(mut combined) = errors.next() else {
            return Ok(());
        };
        for error in errors {
            combined.combine(error);
        }
        Err(combined)
    }
}

#[cfg(test)]
mod tests {
    use super::Ctxt;
    use proc_macro2::Span;

    #[test]
    fn every_error_is_kept() {
        let cx = Ctxt::default();
        cx.push(syn::Error::new(Span::call_site(), "first"));
        cx.push(syn::Error::new(Span::call_site(), "second"));
        let out = cx.check().unwrap_err().into_compile_error().to_string();
        assert!(out.contains("first") && out.contains("second"), "{out}");
    }

    #[test]
    fn no_error_is_ok() {
        assert!(Ctxt::default().check().is_ok());
    }
}
