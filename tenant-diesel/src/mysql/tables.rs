//! The declared tenant tables: each is in the database with its tenant
//! column, and a text tenant column compares byte for byte.

use super::CatalogConnection;

use super::catalog;
use super::problem::MysqlIsolationProblem;

/// Text types, whose comparisons follow a collation.
const TEXT_TYPES: [&str; 8] = [
    "char",
    "varchar",
    "tinytext",
    "text",
    "mediumtext",
    "longtext",
    "enum",
    "set",
];

/// Whether a collation compares text byte for byte: `binary`, or a `_bin`
/// one (`utf8mb4_bin`, MariaDB's `utf8mb4_nopad_bin`, MySQL 8's
/// `utf8mb4_0900_bin`). A `_ci` or `_ai` one takes `'ACME'` for `'acme'`;
/// MySQL 8's `_as_cs` ones still equate some distinct strings (canonically
/// equivalent sequences), so they do not pass either.
fn is_binary(collation: &str) -> bool {
    collation == "binary" || collation.ends_with("_bin")
}

/// Checks each declared tenant table and its tenant column.
pub(super) fn check(
    conn: &mut impl CatalogConnection,
    tenant_tables: &[(String, String)],
    problems: &mut Vec<MysqlIsolationProblem>,
) -> Result<(), diesel::result::Error> {
    for (table, tenant_column) in tenant_tables {
        let columns = catalog::columns(conn, table)?;
        if columns.is_empty() {
            problems.push(MysqlIsolationProblem::MissingTenantTable(table.clone()));
            continue;
        }
        let Some(column) = columns
            .into_iter()
            .find(|c| c.name.eq_ignore_ascii_case(tenant_column))
        else {
            problems.push(MysqlIsolationProblem::MissingTenantColumn {
                table: table.clone(),
                column: tenant_column.clone(),
            });
            continue;
        };
        if !TEXT_TYPES.contains(&column.data_type.to_ascii_lowercase().as_str()) {
            continue;
        }
        if let (Some(charset), Some(collation)) = (column.charset, column.collation) {
            if !is_binary(&collation) {
                problems.push(MysqlIsolationProblem::TenantColumnCollation {
                    table: table.clone(),
                    column: column.name,
                    column_type: column.column_type,
                    charset,
                    collation,
                    nullable: column.nullable == "YES",
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::is_binary;

    #[test]
    fn only_byte_for_byte_collations_pass() {
        for binary in [
            "binary",
            "utf8mb4_bin",
            "utf8mb4_nopad_bin",
            "utf8mb4_0900_bin",
        ] {
            assert!(is_binary(binary), "{binary}");
        }
        for not in [
            "utf8mb4_general_ci",
            "utf8mb4_unicode_ci",
            "utf8mb4_0900_ai_ci",
            "utf8mb4_0900_as_cs",
            "latin1_swedish_ci",
        ] {
            assert!(!is_binary(not), "{not}");
        }
    }
}
