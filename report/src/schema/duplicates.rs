//! One SQL table declared under two Rust names.

use std::collections::{BTreeMap, BTreeSet};

use super::{Facts, Site, Table};
use crate::finding::{Finding, Severity};

/// `schema.name` without its schema.
pub fn unqualified(sql_name: &str) -> &str {
    sql_name.rsplit('.').next().unwrap_or(sql_name)
}

/// The tables declared twice under one SQL name (`#[sql_name = "accounts"]`
/// on a second `table!`): no type links the two, so a scoped model on one
/// leaves the other free to read every tenant's rows. An error when one of
/// them is a tenant table (a model derives `TenantScoped` for it) and another
/// is not; a warning otherwise.
pub fn same_sql_table(facts: &Facts) -> Vec<Finding> {
    let mut by_sql_name: BTreeMap<String, Vec<&(Site, Table)>> = BTreeMap::new();
    for entry in &facts.tables {
        by_sql_name
            .entry(entry.1.sql_name.to_lowercase())
            .or_default()
            .push(entry);
    }
    let scoped = |table: &Table| facts.models.values().any(|m| m.table == table.name);
    let mut findings = Vec::new();
    for (sql_name, tables) in by_sql_name {
        // The same Rust table declared twice is Diesel's error, not a second name.
        let names: BTreeSet<&str> = tables.iter().map(|(_, t)| t.name.as_str()).collect();
        if names.len() < 2 {
            continue;
        }
        let tenant = tables.iter().any(|(_, t)| scoped(t));
        for (site, table) in &tables {
            let others: Vec<String> = tables
                .iter()
                .filter(|(_, other)| other.name != table.name)
                .map(|(other_site, other)| {
                    format!("`{}` ({}:{})", other.name, other_site.file, other_site.line)
                })
                .collect();
            let (severity, why) = if tenant && !scoped(table) {
                (
                    Severity::Error,
                    "a tenant table under a second name that no model scopes: it reads every tenant's rows",
                )
            } else {
                (
                    Severity::Warning,
                    "no type links the two declarations; keep one",
                )
            };
            findings.push(site.finding(
                severity,
                format!(
                    "table `{}` is the SQL table `{sql_name}`, declared again as {}: {why}",
                    table.name,
                    others.join(", ")
                ),
            ));
        }
    }
    findings
}
