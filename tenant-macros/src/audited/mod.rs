//! `#[audited(action = "..", target = .., ctx = .., audit = .., crate = ..)]`:
//! [`ast`] reads the function, [`attr`] the arguments, [`valid`] checks them
//! against each other and [`expand`] adds the audit record in front of the body.

mod ast;
mod attr;
mod expand;
mod valid;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ctxt::Ctxt;

/// The attribute on `proc_macro2` tokens, so that it can be unit-tested.
pub fn audited_inner(args: TokenStream, item: TokenStream) -> TokenStream {
    let function = match ast::parse(item.clone()) {
        Ok(function) => function,
        Err(error) => {
            let mut out = error.into_compile_error();
            out.extend(item);
            return out;
        }
    };
    let cx = Ctxt::default();
    let args = attr::Args::parse(&cx, args);
    let validated = valid::validate(&cx, &function, args);
    match (cx.check(), validated) {
        (Ok(()), Some(validated)) => expand::expand(function, &validated),
        (Err(errors), _) => {
            // The function as written beside the errors, so that its callers do
            // not pile further errors on top.
            let mut out = errors.into_compile_error();
            out.extend(quote!(#function));
            out
        }
        (Ok(()), None) => unreachable!("validation failed without reporting an error"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_before_the_body() {
        let out = audited_inner(
            quote!(action = "select_account", target = id),
            quote!(
                fn f(ctx: &TenantCtx, audit: &Auditor, id: i64) -> Result<(), E> {
                    body()
                }
            ),
        )
        .to_string();
        assert!(out.starts_with("fn f"), "{out}");
        let record = out.find("audit_action").expect("the record call");
        assert!(record < out.find("body").expect("the body"), "{out}");
        assert!(out.contains("\"select_account\""), "{out}");
        assert!(
            out.contains(":: tenant_diesel :: __private :: audit_action"),
            "{out}"
        );
    }

    #[test]
    fn the_record_goes_through_crate() {
        let out = audited_inner(
            quote!(crate = td, action = "a"),
            quote!(
                fn f(ctx: &TenantCtx, audit: &Auditor) -> Result<(), E> {}
            ),
        )
        .to_string();
        assert!(out.contains("td :: __private :: audit_action"), "{out}");
        assert!(!out.contains("tenant_diesel"), "{out}");
    }

    #[test]
    fn a_missing_action_and_an_unknown_parameter_are_both_reported() {
        let out = audited_inner(
            quote!(target = nope),
            quote!(
                fn f(ctx: &TenantCtx, audit: &Auditor) -> Result<(), E> {}
            ),
        )
        .to_string();
        assert!(out.contains("needs an action"), "{out}");
        assert!(out.contains("parameter named `nope`"), "{out}");
    }

    #[test]
    fn a_crate_given_twice_is_reported_with_the_rest() {
        let out = audited_inner(
            quote!(crate = td, crate = td, action = ""),
            quote!(
                fn f(ctx: &TenantCtx, audit: &Auditor) {}
            ),
        )
        .to_string();
        assert!(out.contains("duplicate `crate`"), "{out}");
        assert!(out.contains("cannot be blank"), "{out}");
        assert!(out.contains("returns a `Result`"), "{out}");
    }
}
