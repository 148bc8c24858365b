//! Schema coverage: every table of the crate's `table!` invocations is either
//! scoped (a model derives `TenantScoped`) or declared global, and every tenant
//! table has a row-level-security migration when the crate has PostgreSQL ones.

mod collect;
mod duplicates;
mod migrations;
mod tables;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use syn::visit::Visit;

use crate::error::ReportError;
use crate::finding::{Finding, Kind, Severity};
use collect::{rls_functions, Collector};
use duplicates::{same_sql_table, unqualified};
use migrations::{read_migrations, Migrations};

pub use migrations::sql_rls_tables;
pub use tables::{Table, Tables};

/// The tenant column a table has when its model does not name another.
pub const DEFAULT_TENANT_COLUMN: &str = "tenant_id";

/// Where something was declared: a file and a line.
#[derive(Debug, Clone)]
struct Site {
    file: String,
    line: usize,
}

impl Site {
    /// A schema finding at this place.
    fn finding(&self, severity: Severity, detail: String) -> Finding {
        Finding::new(Kind::Schema, severity, &self.file, self.line, None, detail)
    }
}

/// A struct that derives `TenantScoped`.
#[derive(Debug, Clone)]
struct Model {
    table: String,
    column: Option<String>,
}

/// What the crate's Rust files say about its tables.
#[derive(Default)]
struct Facts {
    tables: Vec<(Site, Table)>,
    globals: BTreeMap<String, Site>,
    /// Model struct name to its table (`TenantScoped` derives only).
    models: BTreeMap<String, Model>,
    /// Tables read in a membership or directory impl, with the impl's text.
    membership_reads: BTreeMap<String, String>,
    uses_rls: bool,
    /// Table names (or model names, resolved later) an `RlsMigrations` covers.
    rls_names: BTreeSet<String>,
    /// Parse errors of `table!` bodies, reported as failures.
    errors: Vec<ReportError>,
}

/// The schema findings of the crate at `root`, whose Rust files are `files`.
pub fn scan(root: &Path, files: &[(String, syn::File)]) -> Result<Vec<Finding>, ReportError> {
    let mut facts = Facts::default();
    let rls_functions = rls_functions(files);
    for (path, file) in files {
        Collector::new(path, &mut facts, &rls_functions).visit_file(file);
    }
    if let Some(error) = std::mem::take(&mut facts.errors).into_iter().next() {
        return Err(error);
    }
    let mut migrations = Migrations::default();
    let dir = root.join("migrations");
    if dir.is_dir() {
        read_migrations(&dir, &mut migrations)?;
    }
    let rls_checked = facts.uses_rls || migrations.postgres || !migrations.rls_tables.is_empty();
    let mut covered: BTreeSet<String> = migrations.rls_tables;
    for name in &facts.rls_names {
        covered.insert(name.to_lowercase());
        if let Some(model) = facts.models.get(name) {
            covered.insert(model.table.to_lowercase());
        }
    }

    let mut findings = Vec::new();
    let mut push = |severity, site: &Site, detail: String| {
        findings.push(site.finding(severity, detail));
    };
    for (site, table) in &facts.tables {
        let name = &table.name;
        let models: Vec<&Model> = facts.models.values().filter(|m| &m.table == name).collect();
        let tenant_column = table.columns.iter().find(|column| {
            column.as_str() == DEFAULT_TENANT_COLUMN
                || models.iter().any(|m| m.column.as_ref() == Some(column))
        });
        let scoped = !models.is_empty();
        if let Some(global) = facts.globals.get(name) {
            if let Some(column) = tenant_column {
                push(
                    Severity::Error,
                    global,
                    format!(
                        "table `{name}` is declared global but has the tenant column `{column}`: every tenant would see every row"
                    ),
                );
            }
            continue;
        }
        let needs_rls = if scoped {
            true
        } else if let Some(column) = tenant_column {
            if let Some(reader) = facts.membership_reads.get(name) {
                push(
                    Severity::Info,
                    site,
                    format!(
                        "table `{name}` has the tenant column `{column}` and is read by the membership or directory lookup `{reader}`: it says who belongs where, not tenant data; queried without the library"
                    ),
                );
                false
            } else {
                push(
                    Severity::Error,
                    site,
                    format!(
                        "table `{name}` has a tenant column (`{column}`) but no model derives `TenantScoped` and it is not declared global"
                    ),
                );
                true
            }
        } else {
            push(
                Severity::Info,
                site,
                format!(
                    "table `{name}` has no tenant column and is not declared global: not used through the library"
                ),
            );
            false
        };
        let sql_covered = covered.contains(&table.sql_name.to_lowercase())
            || covered.contains(&unqualified(&table.sql_name).to_lowercase());
        if needs_rls && rls_checked && !covered.contains(&name.to_lowercase()) && !sql_covered {
            push(
                Severity::Warning,
                site,
                format!("tenant table `{name}` has no row-level security migration"),
            );
        }
    }
    findings.extend(same_sql_table(&facts));
    Ok(findings)
}
