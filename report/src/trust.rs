//! Implementations of the traits tenant-core trusts to say who is who, who
//! belongs where and what was done: a membership check that answers a constant,
//! or ignores its arguments, lets everyone in; an actor with a constant id makes
//! every user one; an audit sink that answers `Ok(())` keeps nothing.

use quote::ToTokens;

use crate::tokens::{mentions, text};

/// The traits whose implementations are reported (from `tenant-core/src`).
pub const TRUSTED_TRAITS: [&str; 8] = [
    "MembershipCheck",
    "AsyncMembershipCheck",
    "TenantDirectory",
    "AsyncTenantDirectory",
    "Resolve",
    "TenantSession",
    "Actor",
    "AuditSink",
];

/// The methods whose bodies are checked: the answers the traits give.
pub const CHECKED_METHODS: [&str; 7] = [
    "is_member",
    "find_by_slug",
    "resolve",
    "get",
    "actor_id",
    "record",
    "record_batch",
];

/// The trusted trait `item` implements, if any.
pub fn trusted_trait(item: &syn::ItemImpl) -> Option<String> {
    let (_, path, _) = item.trait_.as_ref()?;
    let name = path.segments.last()?.ident.to_string();
    TRUSTED_TRAITS.contains(&name.as_str()).then_some(name)
}

/// Why the body of `method` is suspicious, if it is: it returns a constant, or
/// leaves some of its arguments unused.
pub fn suspicion(method: &syn::ImplItemFn) -> Option<String> {
    if let Some(constant) = constant_answer(&method.block) {
        return Some(format!(
            "`{}` returns a constant: `{}`",
            method.sig.ident,
            text(&constant)
        ));
    }
    let body = method.block.to_token_stream();
    let unused: Vec<String> = argument_names(&method.sig)
        .into_iter()
        .filter(|name| name.starts_with('_') || !mentions(body.clone(), name))
        .collect();
    if unused.is_empty() {
        None
    } else {
        Some(format!(
            "`{}` never uses its argument(s) `{}`",
            method.sig.ident,
            unused.join("`, `")
        ))
    }
}

fn argument_names(sig: &syn::Signature) -> Vec<String> {
    let mut names = Vec::new();
    for input in &sig.inputs {
        if let syn::FnArg::Typed(typed) = input {
            pattern_names(&typed.pat, &mut names);
        }
    }
    names
}

fn pattern_names(pat: &syn::Pat, names: &mut Vec<String>) {
    match pat {
        syn::Pat::Ident(ident) => names.push(ident.ident.to_string()),
        syn::Pat::Wild(_) => names.push("_".to_owned()),
        syn::Pat::Reference(reference) => pattern_names(&reference.pat, names),
        syn::Pat::Tuple(tuple) => tuple.elems.iter().for_each(|p| pattern_names(p, names)),
        _ => {}
    }
}

/// The constant a block answers with: its only expression, through blocks,
/// `async` blocks and calls whose arguments are all constants (`Ok(..)`,
/// `Some(..)`, `ready(..)`, `Box::pin(..)`, `From::from("..")`).
fn constant_answer(block: &syn::Block) -> Option<syn::Expr> {
    let expr = only_expr(block)?;
    is_constant(expr).then(|| expr.clone())
}

fn only_expr(block: &syn::Block) -> Option<&syn::Expr> {
    match block.stmts.as_slice() {
        [syn::Stmt::Expr(expr, _)] => match expr {
            syn::Expr::Return(ret) => ret.expr.as_deref(),
            expr => Some(expr),
        },
        _ => None,
    }
}

fn is_constant(expr: &syn::Expr) -> bool {
    match expr {
        syn::Expr::Lit(_) => true,
        syn::Expr::Tuple(tuple) => tuple.elems.iter().all(is_constant),
        syn::Expr::Path(path) => path.path.get_ident().is_some_and(|i| i == "None"),
        syn::Expr::Paren(inner) => is_constant(&inner.expr),
        syn::Expr::Group(inner) => is_constant(&inner.expr),
        syn::Expr::Block(inner) => only_expr(&inner.block).is_some_and(is_constant),
        syn::Expr::Async(inner) => only_expr(&inner.block).is_some_and(is_constant),
        // `Ok(true)`, `ActorId::from("admin")`, `Box::pin(ready(Ok(())))`: a
        // function of constants is a constant.
        syn::Expr::Call(call) => {
            matches!(call.func.as_ref(), syn::Expr::Path(_))
                && !call.args.is_empty()
                && call.args.iter().all(is_constant)
        }
        // `"admin".into()`, `String::from("x").to_owned()`.
        syn::Expr::MethodCall(call) => {
            is_constant(&call.receiver) && call.args.iter().all(is_constant)
        }
        _ => false,
    }
}
