//! The crate's own `clippy.toml` bans: `disallowed-methods`,
//! `disallowed-macros` and `disallowed-types`, beyond the ones the library
//! recommends (which the scanner knows by heart, with their special cases).

use std::path::{Path, PathBuf};

use crate::error::ReportError;

/// What a ban forbids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BanKind {
    /// A function or method (`disallowed-methods`).
    Method,
    /// A macro (`disallowed-macros`).
    Macro,
    /// A type (`disallowed-types`).
    Type,
}

/// One entry of a `clippy.toml` ban list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ban {
    /// What it forbids.
    pub kind: BanKind,
    /// Its path's segments (`["diesel", "sql_query"]`).
    pub path: Vec<String>,
}

impl Ban {
    /// The path as written in `clippy.toml`.
    pub fn display(&self) -> String {
        self.path.join("::")
    }

    /// The crate the path starts with.
    pub fn krate(&self) -> &str {
        self.path.first().map_or("", String::as_str)
    }

    /// The item's own name: the path's last segment.
    pub fn name(&self) -> &str {
        self.path.last().map_or("", String::as_str)
    }

    /// Whether the ban is a method of a type or trait (`..::QueryDsl::into_boxed`),
    /// which a `.name(..)` call can reach, rather than a free function.
    pub fn is_method(&self) -> bool {
        self.kind == BanKind::Method
            && self.path.len() >= 3
            && self.path[self.path.len() - 2]
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
    }

    /// Whether the resolved path `segments` names the banned item: the same
    /// crate and the same last name (re-exports in between do not matter).
    pub fn matches(&self, segments: &[String]) -> bool {
        segments.len() >= 2
            && segments.first().map(String::as_str) == Some(self.krate())
            && segments.last().map(String::as_str) == Some(self.name())
    }
}

/// The names the scanner already reports with the library's own rules
/// (`disallowed-call` with their special cases): a `clippy.toml` entry for one
/// of them adds nothing.
pub const BUILT_IN: [&str; 10] = [
    "sql",
    "sql_query",
    "into_boxed",
    "internal_into_boxed",
    "push_sql",
    "define_sql_function",
    "sql_function",
    "infix_operator",
    "postfix_operator",
    "prefix_operator",
];

/// The `clippy.toml` clippy would read for the crate at `root`: `clippy.toml`
/// or `.clippy.toml` in it or the nearest directory above it that has one.
pub fn config_file(root: &Path) -> Option<PathBuf> {
    let root = root.canonicalize().ok()?;
    root.ancestors().find_map(|dir| {
        ["clippy.toml", ".clippy.toml"]
            .iter()
            .map(|name| dir.join(name))
            .find(|path| path.is_file())
    })
}

/// The bans of the crate at `root` that the scanner does not know by heart.
pub fn load(root: &Path) -> Result<Vec<Ban>, ReportError> {
    let Some(path) = config_file(root) else {
        return Ok(Vec::new());
    };
    let text = std::fs::read_to_string(&path).map_err(|source| ReportError::Io {
        path: path.clone(),
        source,
    })?;
    parse(&text).map_err(|message| ReportError::Parse {
        path,
        line: 0,
        message,
    })
}

/// The bans of a `clippy.toml` text, without the built-in ones.
pub fn parse(text: &str) -> Result<Vec<Ban>, String> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
    let mut bans = Vec::new();
    for (key, kind) in [
        ("disallowed-methods", BanKind::Method),
        ("disallowed-macros", BanKind::Macro),
        ("disallowed-types", BanKind::Type),
    ] {
        let Some(entries) = table.get(key) else {
            continue;
        };
        let entries = entries
            .as_array()
            .ok_or_else(|| format!("`{key}` is not a list"))?;
        for entry in entries {
            let path = match entry {
                toml::Value::String(path) => path.as_str(),
                toml::Value::Table(entry) => entry
                    .get("path")
                    .and_then(toml::Value::as_str)
                    .ok_or_else(|| format!("an entry of `{key}` has no `path`"))?,
                _ => return Err(format!("an entry of `{key}` is neither a path nor a table")),
            };
            let ban = Ban {
                kind,
                path: path.split("::").map(str::to_owned).collect(),
            };
            if !BUILT_IN.contains(&ban.name()) {
                bans.push(ban);
            }
        }
    }
    Ok(bans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_as_strings_or_tables_are_read_and_the_built_in_ones_left_out() {
        let bans = parse(
            r#"
            disallowed-methods = [
                "std::env::set_var",
                { path = "diesel::sql_query", reason = "known" },
                { path = "my_app::db::Pool::raw", reason = "raw connection" },
            ]
            disallowed-types = ["my_app::db::RawConn"]
            disallowed-macros = [{ path = "my_app::unscoped" }]
            "#,
        )
        .unwrap();
        let shown: Vec<String> = bans.iter().map(Ban::display).collect();
        assert_eq!(
            shown,
            [
                "std::env::set_var",
                "my_app::db::Pool::raw",
                "my_app::unscoped",
                "my_app::db::RawConn"
            ]
        );
        assert!(!bans[0].is_method());
        assert!(bans[1].is_method());
        assert!(bans[1].matches(&["my_app".into(), "Pool".into(), "raw".into()]));
        assert!(!bans[1].matches(&["raw".into()]));
    }

    #[test]
    fn a_malformed_list_is_an_error() {
        assert!(parse("disallowed-methods = 3").is_err());
        assert!(parse("disallowed-methods = [{ reason = \"x\" }]").is_err());
    }
}
