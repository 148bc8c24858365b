//! The tables declared shared (`global_table!`): none may be a tenant table
//! under another declaration.

use diesel::pg::PgConnection;
use diesel::sql_types::{Array, Bool, Text};
use diesel::{OptionalExtension, QueryableByName, RunQueryDsl};

use super::IsolationProblem;
use crate::postgres::{RlsMigrations, RlsTable};

#[derive(QueryableByName)]
struct SharedState {
    #[diesel(sql_type = Bool)]
    rls: bool,
    #[diesel(sql_type = Array<Text>)]
    tenant_columns: Vec<String>,
}

/// Checks that no table declared shared is declared tenant-scoped too, is under
/// row-level security, or has a column named like a tenant column. A table is
/// looked up as the application's queries name it, through the search path.
// Catalog queries, with every value bound; the lint is for handler code.
#[allow(clippy::disallowed_methods)]
pub(super) fn check(
    conn: &mut PgConnection,
    rls: &RlsMigrations,
    problems: &mut Vec<IsolationProblem>,
) -> Result<(), diesel::result::Error> {
    let tenant_columns: Vec<&str> = rls.tables().iter().map(RlsTable::tenant_column).collect();
    for shared in rls.shared_tables() {
        if rls.tables().iter().any(|t| t.table() == shared) {
            problems.push(IsolationProblem::SharedTableIsATenantTable(shared.clone()));
            continue;
        }
        let state: Option<SharedState> = diesel::sql_query(
            "SELECT c.relrowsecurity AS rls, \
                    ARRAY(SELECT a.attname::text FROM pg_attribute a \
                          WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
                            AND a.attname = ANY($2) ORDER BY 1) AS tenant_columns \
             FROM pg_class c \
             WHERE c.oid = to_regclass(quote_ident($1)) AND c.relkind IN ('r', 'p')",
        )
        .bind::<Text, _>(shared)
        .bind::<Array<Text>, _>(&tenant_columns)
        .get_result(conn)
        .optional()?;
        let Some(state) = state else {
            problems.push(IsolationProblem::MissingTable(shared.clone()));
            continue;
        };
        if state.rls {
            problems.push(IsolationProblem::SharedTableIsATenantTable(shared.clone()));
        }
        for column in state.tenant_columns {
            problems.push(IsolationProblem::SharedTableWithTenantColumn {
                table: shared.clone(),
                column,
            });
        }
    }
    Ok(())
}
