//! Statements as text: dollar-quoted blocks, and scripts to read or to paste.

/// A `DO` block around `body`, dollar-quoted with a tag that does not occur in
/// it: a table or column name cannot end the block early.
pub(super) fn do_block(body: &str) -> String {
    let tag = dollar_tag("wall", body);
    format!("DO {tag} {body}\nEND {tag}")
}

/// A dollar-quote tag `$<prefix><n>$` that `body` does not contain, so that
/// nothing in it (a table or column name) ends the quoted text early.
pub(super) fn dollar_tag(prefix: &str, body: &str) -> String {
    (0..)
        .map(|n| format!("${prefix}{n}$"))
        .find(|tag| !body.contains(tag.as_str()))
        .expect("a tag that the body does not contain")
}

/// Statements as a script to read or to paste into a migration file.
pub(super) fn script(statements: Vec<String>) -> String {
    statements
        .into_iter()
        .map(|statement| statement + ";\n")
        .collect()
}
