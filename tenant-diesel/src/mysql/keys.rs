//! The keys of the tenant tables: each unique key (the primary key included)
//! leads with the whole tenant column, and each foreign key between tenant
//! tables pairs the tenant columns.
//!
//! There is no row-level security to hide rows from a key on MySQL, so what a
//! key tells is what the library's own statements tell: a scoped insert (or an
//! update of a unique column) fails with a duplicate-key error when *another*
//! tenant holds the value, and a foreign key that does not pair the tenants
//! accepts another tenant's row, or refuses a missing one. Both reach the
//! tenant through correct code. Indexes that are not unique tell nothing the
//! account could not read with a plain `SELECT`, and are not checked.
//!
//! As on PostgreSQL (`verify_isolation`'s `keys`), a single-column `id`
//! primary key of a tenant table is refused, `AUTO_INCREMENT` or not: the
//! library writes every column but the tenant one, so a values struct or an
//! update may carry an id, and its collision is the oracle. The fix keeps
//! InnoDB's index on the `AUTO_INCREMENT` column (`PRIMARY KEY (tenant_id,
//! id), KEY (id)`); the counter itself, one per table, still shows a tenant
//! how many rows every tenant inserted between two of its own, which no key
//! changes.

use super::CatalogConnection;

use super::catalog::{self, KeyPart};
use super::problem::MysqlIsolationProblem;

/// Checks the unique keys and foreign keys of each declared tenant table.
pub(super) fn check(
    conn: &mut impl CatalogConnection,
    tenant_tables: &[(String, String)],
    problems: &mut Vec<MysqlIsolationProblem>,
) -> Result<(), diesel::result::Error> {
    let tenant_column_of = |table: &str| {
        tenant_tables
            .iter()
            .find(|(t, _)| t.eq_ignore_ascii_case(table))
            .map(|(_, column)| column.as_str())
    };
    for (table, tenant_column) in tenant_tables {
        let parts = catalog::unique_keys(conn, table)?;
        if parts.is_empty() {
            continue;
        }
        let auto_increment: Vec<String> = catalog::columns(conn, table)?
            .into_iter()
            .filter(|c| c.extra.to_ascii_lowercase().contains("auto_increment"))
            .map(|c| c.name)
            .collect();
        for key in keys(parts) {
            let leads = matches!(
                key.first(),
                Some(KeyPart { column: Some(column), prefix: None, .. })
                    if column.eq_ignore_ascii_case(tenant_column)
            );
            if leads {
                continue;
            }
            let columns: Vec<String> = key
                .iter()
                .map(|part| {
                    let column = part
                        .column
                        .clone()
                        .unwrap_or_else(|| "(expression)".to_owned());
                    match &part.prefix {
                        Some(length) => format!("{column}({length})"),
                        None => column,
                    }
                })
                .collect();
            problems.push(MysqlIsolationProblem::UniqueKeyWithoutTenant {
                table: table.clone(),
                key: key[0].key.clone(),
                auto_increment: key
                    .iter()
                    .filter_map(|part| part.column.as_ref())
                    .find(|column| auto_increment.contains(column))
                    .cloned(),
                columns,
                tenant_column: tenant_column.clone(),
            });
        }

        for key in catalog::foreign_keys(conn, table)? {
            let Some(referenced_tenant_column) = tenant_column_of(&key.references) else {
                continue;
            };
            let paired = key
                .columns
                .iter()
                .zip(&key.referenced_columns)
                .any(|(from, to)| {
                    from.eq_ignore_ascii_case(tenant_column)
                        && to.eq_ignore_ascii_case(referenced_tenant_column)
                });
            if !paired {
                problems.push(MysqlIsolationProblem::ForeignKeyWithoutTenant {
                    table: table.clone(),
                    constraint: key.constraint,
                    references: key.references,
                    columns: key.columns,
                    referenced_columns: key.referenced_columns,
                    tenant_column: tenant_column.clone(),
                    referenced_tenant_column: referenced_tenant_column.to_owned(),
                });
            }
        }
    }
    Ok(())
}

/// The parts grouped by key, each in key order.
fn keys(parts: Vec<KeyPart>) -> Vec<Vec<KeyPart>> {
    let mut keys: Vec<Vec<KeyPart>> = Vec::new();
    for part in parts {
        match keys.last_mut() {
            Some(key) if key[0].key == part.key => key.push(part),
            _ => keys.push(vec![part]),
        }
    }
    keys
}
