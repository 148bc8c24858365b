//! Macro bodies: their token streams parsed as expressions or statements,
//! so that hatches written inside `vec![..]`, `format!(..)`, a custom macro's
//! arguments or a `macro_rules!` body are found too.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use syn::parse::Parser;
use syn::punctuated::Punctuated;

/// The statements recovered from a macro body: the whole stream as expressions
/// or statements, else each delimited group within it, recursively. Macro
/// metavariables (`$x`, `$( .. )*`) are read as plain names and bodies first.
pub fn parse_macro_body(tokens: TokenStream) -> Vec<syn::Stmt> {
    let mut parsed = Vec::new();
    collect(strip_metavariables(tokens), &mut parsed);
    parsed
}

fn collect(tokens: TokenStream, parsed: &mut Vec<syn::Stmt>) {
    if tokens.is_empty() {
        return;
    }
    if let Ok(exprs) =
        Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated.parse2(tokens.clone())
    {
        parsed.extend(exprs.into_iter().map(|expr| syn::Stmt::Expr(expr, None)));
        return;
    }
    if let Ok(stmts) = syn::Block::parse_within.parse2(tokens.clone()) {
        parsed.extend(stmts);
        return;
    }
    for tree in tokens {
        if let TokenTree::Group(group) = tree {
            collect(group.stream(), parsed);
        }
    }
}

/// `$name` becomes `name`; `$( body ) sep? op` becomes `body`.
fn strip_metavariables(tokens: TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    let mut i = 0;
    while i < trees.len() {
        match (&trees[i], trees.get(i + 1)) {
            (TokenTree::Punct(dollar), Some(TokenTree::Ident(ident)))
                if dollar.as_char() == '$' =>
            {
                out.push(TokenTree::Ident(ident.clone()));
                i += 2;
            }
            (TokenTree::Punct(dollar), Some(TokenTree::Group(group)))
                if dollar.as_char() == '$' && group.delimiter() == Delimiter::Parenthesis =>
            {
                out.extend(strip_metavariables(group.stream()));
                i += 2;
                if is_repetition(trees.get(i)) {
                    i += 1;
                } else if is_repetition(trees.get(i + 1)) {
                    i += 2;
                }
            }
            (TokenTree::Group(group), _) => {
                let mut stripped =
                    Group::new(group.delimiter(), strip_metavariables(group.stream()));
                stripped.set_span(group.span());
                out.push(TokenTree::Group(stripped));
                i += 1;
            }
            (tree, _) => {
                out.push(tree.clone());
                i += 1;
            }
        }
    }
    out.into_iter().collect()
}

fn is_repetition(tree: Option<&TokenTree>) -> bool {
    matches!(tree, Some(TokenTree::Punct(p)) if matches!(p.as_char(), '*' | '+' | '?'))
}

/// `tokens` as one line of text, spaces collapsed and the token printer's
/// spacing tightened (`a :: b (& c , d)` reads `a::b(&c, d)`).
pub fn text(tokens: &impl quote::ToTokens) -> String {
    let text = tokens.to_token_stream().to_string();
    let mut text = format!(
        " {} ",
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    for (from, to) in TIGHTEN {
        while text.contains(from) {
            text = text.replace(from, to);
        }
    }
    tighten_calls(text.trim())
}

/// `f (x)` reads `f(x)`, `T < U >` reads `T<U>` after `::`.
fn tighten_calls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        let call = before.is_some_and(|b| b.is_alphanumeric() || matches!(b, '_' | '>' | '!'))
            && after == Some('(');
        let generic = (before == Some('<') && out.ends_with("::<"))
            || (after == Some('>')
                && out.contains("::<")
                && before.is_some_and(char::is_alphanumeric));
        if c == ' ' && (call || generic) {
            continue;
        }
        out.push(c);
    }
    out.replace(" : ", ": ")
}

/// Spacing the token printer adds that source code does not have.
const TIGHTEN: [(&str, &str); 14] = [
    (" :: ", "::"),
    (":: ", "::"),
    (" ::", "::"),
    (" ,", ","),
    ("( ", "("),
    (" )", ")"),
    ("[ ", "["),
    (" ]", "]"),
    (" . ", "."),
    (" ! (", "!("),
    (" ! [", "!["),
    (" & ", " &"),
    ("(& ", "(&"),
    ("[& ", "[&"),
];

/// Whether the identifier `name` occurs anywhere in `tokens` (macro bodies included).
pub fn mentions(tokens: TokenStream, name: &str) -> bool {
    tokens.into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => ident == name,
        TokenTree::Group(group) => mentions(group.stream(), name),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_reads_like_source() {
        let expr: syn::Expr = syn::parse_quote!(diesel::dsl::sql::<Bool>("1 = 1"));
        assert_eq!(text(&expr), "diesel::dsl::sql::<Bool>(\"1 = 1\")");
        let expr: syn::Expr = syn::parse_quote!(f(&staff, vec![a, b]));
        assert_eq!(text(&expr), "f(&staff, vec![a, b])");
    }

    #[test]
    fn metavariables_read_as_names_and_repetitions_as_their_body() {
        let body: TokenStream = quote::quote!(AdminCtx::new($reason, $($actor),*));
        let stmts = parse_macro_body(body);
        assert_eq!(stmts.len(), 1);
        assert_eq!(text(&stmts[0]), "AdminCtx::new(reason, actor)");
    }

    #[test]
    fn unparsable_streams_are_searched_group_by_group() {
        let body: TokenStream = quote::quote!(($x:expr) => { f($x) }; () => { g() });
        let found: Vec<String> = parse_macro_body(body).iter().map(text).collect();
        assert_eq!(found, ["f(x)", "g()"]);
    }

    #[test]
    fn mentions_looks_into_macro_bodies() {
        let body: TokenStream = quote::quote!({ check!(actor.as_str()) });
        assert!(mentions(body.clone(), "actor"));
        assert!(!mentions(body, "tenant"));
    }
}
