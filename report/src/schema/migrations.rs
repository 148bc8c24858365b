//! What the crate's SQL migrations say about row-level security.

use std::collections::BTreeSet;
use std::path::Path;

use crate::error::ReportError;

/// The tables `ENABLE ROW LEVEL SECURITY` is run on in `sql`, lowercased and
/// unquoted: `ALTER TABLE [IF EXISTS] [ONLY] name ENABLE ROW LEVEL SECURITY`.
pub fn sql_rls_tables(sql: &str) -> Vec<String> {
    let cleaned: String = sql
        .lines()
        .map(|line| line.split("--").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
        .chars()
        .filter(|c| !matches!(c, '"' | '`'))
        .map(|c| match c {
            ';' | '(' | ')' | ',' => ' ',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let mut tables = Vec::new();
    for i in 0..words.len() {
        if words[i] != "alter" || words.get(i + 1) != Some(&"table") {
            continue;
        }
        let mut j = i + 2;
        if words.get(j) == Some(&"if") && words.get(j + 1) == Some(&"exists") {
            j += 2;
        }
        if words.get(j) == Some(&"only") {
            j += 1;
        }
        let Some(name) = words.get(j) else { continue };
        let tail = words.get(j + 1..j + 5);
        if tail == Some(&["enable", "row", "level", "security"][..]) {
            let name = name.rsplit('.').next().unwrap_or(name);
            tables.push(name.to_owned());
        }
    }
    tables
}

/// What the crate's SQL migrations say: whether a PostgreSQL migration
/// directory exists, and the tables their `up.sql` files enable RLS on.
#[derive(Default)]
pub struct Migrations {
    /// Whether a `postgres` migration directory exists.
    pub postgres: bool,
    /// The tables an `up.sql` enables row-level security on.
    pub rls_tables: BTreeSet<String>,
}

pub fn read_migrations(dir: &Path, migrations: &mut Migrations) -> Result<(), ReportError> {
    crate::walk::every_file(dir, &mut |path| {
        let in_postgres = path
            .ancestors()
            .skip(1)
            .take_while(|ancestor| *ancestor != dir)
            .any(|ancestor| ancestor.file_name().is_some_and(|name| name == "postgres"));
        migrations.postgres |= in_postgres;
        if path.file_name().is_some_and(|name| name == "up.sql") {
            let sql = std::fs::read_to_string(path).map_err(|source| ReportError::Io {
                path: path.to_owned(),
                source,
            })?;
            migrations.rls_tables.extend(sql_rls_tables(&sql));
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_rls_is_read_whatever_the_case_quotes_and_spacing() {
        let sql = "alter table \"accounts\"\n  ENABLE   row LEVEL security;\n\
                   ALTER TABLE IF EXISTS ONLY public.\"invoices\" ENABLE ROW LEVEL SECURITY;\n\
                   -- ALTER TABLE notes ENABLE ROW LEVEL SECURITY;\n\
                   ALTER TABLE teams FORCE ROW LEVEL SECURITY;";
        assert_eq!(sql_rls_tables(sql), ["accounts", "invoices"]);
    }
}
