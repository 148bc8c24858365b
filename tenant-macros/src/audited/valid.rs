//! Checks of `#[audited]` against the function it is on: an action is named,
//! the parameters it names exist and the function can return a failed audit.

use proc_macro2::Span;
use syn::{Ident, ItemFn, LitStr, ReturnType};

use super::ast::parameter_names;
use super::attr::{Args, SYNTAX};
use crate::ctxt::Ctxt;
use crate::krate::Krate;

/// What expansion needs, once the attribute is known to fit the function.
pub struct Validated {
    /// The action recorded.
    pub action: LitStr,
    /// The target parameter, if any.
    pub target: Option<Ident>,
    /// The context parameter.
    pub ctx: Ident,
    /// The auditor parameter.
    pub audit: Ident,
    /// The path of tenant-diesel.
    pub krate: Krate,
}

/// Checks `args` against `function`; `None` when something is wrong, the
/// reasons being in `cx`.
pub fn validate(cx: &Ctxt, function: &ItemFn, args: Args) -> Option<Validated> {
    if args.action.is_none() && args.complete {
        cx.push(syn::Error::new(
            Span::call_site(),
            format!("#[audited] needs an action: {SYNTAX}"),
        ));
    }
    // A parameter missing under its default name is reported at the
    // parameter list; one named by the attribute, at that name.
    let parameters = function.sig.paren_token.span.join();
    let ctx = args.ctx.unwrap_or_else(|| Ident::new("ctx", parameters));
    let audit = args
        .audit
        .unwrap_or_else(|| Ident::new("audit", parameters));
    require_parameter(cx, function, &ctx, "a `&TenantCtx`", "ctx");
    require_parameter(cx, function, &audit, "an `&Auditor`", "audit");
    if let Some(target) = &args.target {
        require_parameter(cx, function, target, "the target's", "target");
    }
    if let ReturnType::Default = function.sig.output {
        cx.error_spanned_by(
            &function.sig.ident,
            "#[audited] needs a function that returns a `Result` whose error converts from `AuditError`: a failed audit write must reach the caller",
        );
    }
    Some(Validated {
        action: args.action?,
        target: args.target,
        ctx,
        audit,
        krate: args.krate,
    })
}

/// Checks that `name` is a parameter, pointing at the culprit if it is not.
fn require_parameter(cx: &Ctxt, function: &ItemFn, name: &Ident, what: &str, key: &str) {
    if !parameter_names(function).contains(name) {
        cx.error_spanned_by(
            name,
            format!(
                "#[audited] needs {what} parameter named `{name}`; name yours `{name}` or say which it is with `{key} = your_name`"
            ),
        );
    }
}
