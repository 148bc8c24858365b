//! `#[audited(action = "..", target = .., ctx = .., audit = ..)]`: parsing, checks
//! and the one statement it adds in front of the function's body.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{FnArg, Ident, ItemFn, LitStr, Pat, ReturnType, Token};

use crate::attr::Ctxt;

const SYNTAX: &str = "#[audited(action = \"select_account\", target = account_id)]";

/// The attribute's arguments.
#[derive(Default)]
struct Args {
    action: Option<LitStr>,
    target: Option<Ident>,
    ctx: Option<Ident>,
    audit: Option<Ident>,
}

impl Args {
    fn parse(cx: &Ctxt, args: TokenStream) -> Self {
        let mut parsed = Args::default();
        let parser = syn::meta::parser(|meta| {
            let slot_name = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            match slot_name.as_str() {
                // action = "select_account"
                "action" => {
                    let value: LitStr = value_of(&meta)?;
                    if value.value().trim().is_empty() {
                        cx.error_spanned_by(&value, "`action` in #[audited] cannot be blank");
                    }
                    set_once(cx, &meta.path, &mut parsed.action, value);
                }
                // target = account_id
                "target" => set_once(cx, &meta.path, &mut parsed.target, value_of(&meta)?),
                // ctx = tenant_ctx
                "ctx" => set_once(cx, &meta.path, &mut parsed.ctx, value_of(&meta)?),
                // audit = auditor
                "audit" => set_once(cx, &meta.path, &mut parsed.audit, value_of(&meta)?),
                _ => {
                    return Err(meta.error(format!(
                        "unknown key in #[audited(..)]; expected `action`, `target`, `ctx` or `audit`: {SYNTAX}"
                    )))
                }
            }
            Ok(())
        });
        if let Err(e) = syn::parse::Parser::parse2(parser, args) {
            cx.push(e);
        }
        parsed
    }
}

fn value_of<T: syn::parse::Parse>(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<T> {
    let _: Token![=] = meta
        .input
        .parse()
        .map_err(|e| syn::Error::new(e.span(), format!("expected `= value`: {SYNTAX}")))?;
    meta.input.parse()
}

fn set_once<T>(cx: &Ctxt, path: &syn::Path, slot: &mut Option<T>, value: T) {
    if slot.is_some() {
        cx.error_spanned_by(path, "duplicate key in #[audited(..)]; give it once");
    } else {
        *slot = Some(value);
    }
}

/// The names of the function's plain parameters (`name: Type`).
fn parameter_names(function: &ItemFn) -> Vec<Ident> {
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

pub fn audited_inner(args: TokenStream, item: TokenStream) -> TokenStream {
    let function: ItemFn = match syn::parse2(item.clone()) {
        Ok(function) => function,
        Err(_) => {
            let error = syn::Error::new(
                Span::call_site(),
                "#[audited] goes on a function: `#[audited(action = \"..\")] fn ..`",
            );
            let mut out = error.into_compile_error();
            out.extend(item);
            return out;
        }
    };
    let cx = Ctxt::default();
    let args = Args::parse(&cx, args);
    if args.action.is_none() {
        cx.push(syn::Error::new(
            Span::call_site(),
            format!("#[audited] needs an action: {SYNTAX}"),
        ));
    }
    let ctx = args
        .ctx
        .clone()
        .unwrap_or_else(|| Ident::new("ctx", Span::call_site()));
    let audit = args
        .audit
        .clone()
        .unwrap_or_else(|| Ident::new("audit", Span::call_site()));
    require_parameter(&cx, &function, &ctx, "a `&TenantCtx`", "ctx");
    require_parameter(&cx, &function, &audit, "an `&Auditor`", "audit");
    if let Some(target) = &args.target {
        require_parameter(&cx, &function, target, "the target's", "target");
    }
    if let ReturnType::Default = function.sig.output {
        cx.error_spanned_by(
            &function.sig.ident,
            "#[audited] needs a function that returns a `Result` whose error converts from `AuditError`: a failed audit write must reach the caller",
        );
    }
    if let Err(errors) = cx.check() {
        // The function as written beside the errors, so that its callers do not
        // pile further errors on top.
        let mut out = errors.into_compile_error();
        out.extend(quote!(#function));
        return out;
    }
    expand(function, &args, &ctx, &audit)
}

fn expand(mut function: ItemFn, args: &Args, ctx: &Ident, audit: &Ident) -> TokenStream {
    let action = args.action.as_ref().expect("checked above");
    let target = match &args.target {
        Some(target) => quote!(::core::option::Option::Some(&#target as &dyn ::core::fmt::Display)),
        None => quote!(::core::option::Option::None),
    };
    let record: syn::Stmt = syn::parse_quote! {
        // Recorded before the body runs: under a fail-closed auditor an action
        // that cannot be audited does not happen.
        ::tenant_diesel::__private::audit_action(&#audit, &#ctx, #action, #target)?;
    };
    function.block.stmts.insert(0, record);
    quote!(#function)
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
}
