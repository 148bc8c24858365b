//! The application role's rights, generated beside the policies: exactly what
//! `verify_isolation` accepts, so that a hand-written `GRANT ALL` (whose
//! `TRUNCATE` wipes every tenant and whose `TRIGGER` taps every tenant's
//! writes) is never needed.

use super::rls_table::RlsTable;
use crate::references::quoted;

/// The grants of `role`: reading and writing the rows of each tenant table,
/// reading each shared table, and calling the wall's functions. Partitions get
/// nothing: the parent's privileges cover statements through it, and a
/// partition without them cannot be named directly.
pub(super) fn up_statements(role: &str, tables: &[RlsTable], shared: &[String]) -> Vec<String> {
    let role = quoted(role);
    let tenant = tables.iter().map(|table| {
        format!(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON {} TO {role}",
            quoted(table.table())
        )
    });
    let shared = shared
        .iter()
        .map(|table| format!("GRANT SELECT ON {} TO {role}", quoted(table)));
    std::iter::once(format!("GRANT USAGE ON SCHEMA tenant_wall TO {role}"))
        .chain(tenant)
        .chain(shared)
        .collect()
}

/// The statements that take the grants back.
pub(super) fn down_statements(role: &str, tables: &[RlsTable], shared: &[String]) -> Vec<String> {
    let role = quoted(role);
    tables
        .iter()
        .map(|table| quoted(table.table()))
        .chain(shared.iter().map(|table| quoted(table)))
        .map(|table| format!("REVOKE ALL ON {table} FROM {role}"))
        .chain(std::iter::once(format!(
            "REVOKE USAGE ON SCHEMA tenant_wall FROM {role}"
        )))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_role_gets_rows_of_tenant_tables_and_reads_of_shared_ones_quoted() {
        let up = up_statements(
            "app\"user",
            &[RlsTable::named("accounts", "tenant_id")],
            &["plans".to_owned()],
        );
        assert_eq!(
            up,
            [
                "GRANT USAGE ON SCHEMA tenant_wall TO \"app\"\"user\"",
                "GRANT SELECT, INSERT, UPDATE, DELETE ON \"accounts\" TO \"app\"\"user\"",
                "GRANT SELECT ON \"plans\" TO \"app\"\"user\"",
            ]
        );
        assert_eq!(
            down_statements("app", &[RlsTable::named("accounts", "tenant_id")], &[]),
            [
                "REVOKE ALL ON \"accounts\" FROM \"app\"",
                "REVOKE USAGE ON SCHEMA tenant_wall FROM \"app\""
            ]
        );
    }
}
