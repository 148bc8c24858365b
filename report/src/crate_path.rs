//! `crate = ..` on the library's macros, and look-alikes of its hidden items.
//!
//! The derives name every trait, role and check through the `crate = path`
//! they are given. A path to tenant-diesel itself (a renamed dependency, a
//! re-export of the whole crate) is what the option is for; a path to a module
//! that re-exports tenant-diesel's `__private` items but shadows one of them
//! makes the derive skip that check. The types refuse some shadowed items (the
//! tenant column's role); every other one is as strong as a hand-written impl
//! of a sealed trait, so the report lists each `crate = ..` and every item the
//! crate names `__private`.

use proc_macro2::{TokenStream, TokenTree};

use crate::finding::Severity;
use crate::names::Aliases;

/// The attributes whose `crate = ..` the derives and `#[audited]` read.
pub const CRATE_ATTRIBUTES: [&str; 2] = ["tenant", "audited"];

/// The function-like macros that take a leading `crate = ..;`.
pub const CRATE_MACROS: [&str; 2] = ["tenant_sql_function", "tenant_infix_operator"];

/// The path after `crate =` in `tokens` (`crate = td`, `crate = "td"`,
/// `crate = facade::td`), as written; `None` without one.
pub fn crate_path(tokens: TokenStream) -> Option<String> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let start = trees.windows(2).position(|pair| {
        matches!(&pair[0], TokenTree::Ident(ident) if ident == "crate")
            && matches!(&pair[1], TokenTree::Punct(p) if p.as_char() == '=')
    })?;
    let mut path = String::new();
    for tree in &trees[start + 2..] {
        match tree {
            TokenTree::Punct(p) if matches!(p.as_char(), ',' | ';') => break,
            TokenTree::Literal(lit) => path.push_str(lit.to_string().trim_matches('"')),
            other => path.push_str(&other.to_string()),
        }
    }
    Some(path)
}

/// How much a `crate = path` needs review: info when the path starts with a
/// name the crate reaches the library under (`td`, `::tenant_diesel`), a
/// warning otherwise (a facade or a look-alike: read what it re-exports).
pub fn severity(path: &str, aliases: &Aliases) -> Severity {
    let first = path
        .trim_start_matches("::")
        .split("::")
        .next()
        .unwrap_or("");
    if aliases.is_library_crate(first) {
        Severity::Info
    } else {
        Severity::Warning
    }
}

/// The detail of a `crate = path` finding on `what` (`#[tenant(..)]` on a
/// struct, a macro).
pub fn detail(what: &str, path: &str) -> String {
    format!(
        "{what} names the library through `crate = {path}`: every impl and check the macro writes goes through that path, which must be tenant-diesel itself"
    )
}

/// The detail of a crate item named `__private`.
pub const LOOK_ALIKE: &str = "an item named `__private`: a look-alike of tenant-diesel's hidden items, which a `crate = ..` path can point the derives at to skip their checks";
