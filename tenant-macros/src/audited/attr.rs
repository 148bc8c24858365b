//! The arguments of `#[audited(..)]`.

use proc_macro2::TokenStream;
use syn::meta::ParseNestedMeta;
use syn::{Ident, LitStr, Token};

use crate::ctxt::Ctxt;
use crate::krate::{Krate, KrateSlot};

/// The attribute's syntax, shown by its errors.
pub const SYNTAX: &str = "#[audited(action = \"select_account\", target = account_id)]";

/// The attribute's arguments.
#[derive(Default)]
pub struct Args {
    /// `action = "select_account"`: what the audit event records.
    pub action: Option<LitStr>,
    /// `target = account_id`: the parameter whose value is the target.
    pub target: Option<Ident>,
    /// `ctx = tenant_ctx`: the context parameter, `ctx` unless said.
    pub ctx: Option<Ident>,
    /// `audit = auditor`: the auditor parameter, `audit` unless said.
    pub audit: Option<Ident>,
    /// `crate = td`: the path of tenant-diesel, `::tenant_diesel` unless said.
    pub krate: Krate,
    /// Whether every argument was read: a parse error stops at its key, and a
    /// key after it (the action, say) is then unknown, not missing.
    pub complete: bool,
}

impl Args {
    /// Parses the arguments, recording every mistake in `cx`.
    pub fn parse(cx: &Ctxt, args: TokenStream) -> Self {
        let mut parsed = Args::default();
        let mut krate = KrateSlot::default();
        let parser = syn::meta::parser(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            match key.as_str() {
                // action = "select_account"
                "action" => {
                    let value: LitStr = value_of(&meta, "a string")?;
                    if value.value().trim().is_empty() {
                        cx.error_spanned_by(
                            &value,
                            format!("`action` in #[audited] cannot be blank: name what the function does, as in {SYNTAX}"),
                        );
                    }
                    set_once(cx, &meta.path, &mut parsed.action, value);
                }
                // target = account_id
                "target" => set_once(
                    cx,
                    &meta.path,
                    &mut parsed.target,
                    value_of(&meta, "a parameter name")?,
                ),
                // ctx = tenant_ctx
                "ctx" => set_once(
                    cx,
                    &meta.path,
                    &mut parsed.ctx,
                    value_of(&meta, "a parameter name")?,
                ),
                // audit = auditor
                "audit" => set_once(
                    cx,
                    &meta.path,
                    &mut parsed.audit,
                    value_of(&meta, "a parameter name")?,
                ),
                // crate = td
                "crate" => krate.set(
                    cx,
                    &meta.path,
                    meta.input,
                    "#[audited(..)]",
                    "#[audited(crate = td, action = \"select_account\")]",
                )?,
                _ => {
                    return Err(meta.error(format!(
                        "unknown key `{}` in #[audited(..)]; expected `action`, `target`, `ctx`, `audit` or `crate`: {SYNTAX}",
                        crate::attr::path_to_string(&meta.path),
                    )))
                }
            }
            Ok(())
        });
        match syn::parse::Parser::parse2(parser, args) {
            Ok(()) => parsed.complete = true,
            Err(error) => cx.push(error),
        }
        parsed.krate = krate.get();
        parsed
    }
}

/// The value after `key =`, `what` naming what it must be.
fn value_of<T: syn::parse::Parse>(meta: &ParseNestedMeta<'_>, what: &str) -> syn::Result<T> {
    let key = crate::attr::path_to_string(&meta.path);
    if meta.input.parse::<Option<Token![=]>>()?.is_none() {
        return Err(meta.error(format!("expected `{key} = ..` in #[audited(..)]: {SYNTAX}")));
    }
    meta.input.parse().map_err(|error| {
        syn::Error::new(
            error.span(),
            format!("expected {what} after `{key} =` in #[audited(..)]: {SYNTAX}"),
        )
    })
}

/// Keeps `value` in `slot`, or reports the key as given twice.
fn set_once<T>(cx: &Ctxt, path: &syn::Path, slot: &mut Option<T>, value: T) {
    if slot.is_some() {
        cx.error_spanned_by(
            path,
            format!(
                "duplicate `{}` in #[audited(..)]; give each key once: {SYNTAX}",
                crate::attr::path_to_string(path)
            ),
        );
    } else {
        *slot = Some(value);
    }
}
