//! The tables declared shared (`global_table!`): none is a tenant table under
//! another declaration, has a tenant column, or references a tenant table, as
//! [`DeclaredTables::verify_sqlite`](crate::DeclaredTables) checks on SQLite.

use super::CatalogConnection;

use super::catalog;
use super::problem::MysqlIsolationProblem;

/// Checks each declared shared table.
pub(super) fn check(
    conn: &mut impl CatalogConnection,
    tenant_tables: &[(String, String)],
    shared_tables: &[String],
    problems: &mut Vec<MysqlIsolationProblem>,
) -> Result<(), diesel::result::Error> {
    for shared in shared_tables {
        if tenant_tables
            .iter()
            .any(|(table, _)| table.eq_ignore_ascii_case(shared))
        {
            problems.push(MysqlIsolationProblem::SharedTableIsATenantTable(
                shared.clone(),
            ));
            continue;
        }
        let columns = catalog::columns(conn, shared)?;
        if columns.is_empty() {
            problems.push(MysqlIsolationProblem::MissingSharedTable(shared.clone()));
            continue;
        }
        for column in columns {
            if tenant_tables
                .iter()
                .any(|(_, tenant)| tenant.eq_ignore_ascii_case(&column.name))
            {
                problems.push(MysqlIsolationProblem::SharedTableWithTenantColumn {
                    table: shared.clone(),
                    column: column.name,
                });
            }
        }
        for key in catalog::foreign_keys(conn, shared)? {
            if tenant_tables
                .iter()
                .any(|(table, _)| table.eq_ignore_ascii_case(&key.references))
            {
                problems.push(MysqlIsolationProblem::SharedTableReferencesATenantTable {
                    table: shared.clone(),
                    parent: key.references,
                    foreign_key: key.columns.join(", "),
                });
            }
        }
    }
    Ok(())
}
