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
    /// The declared tenant table each foreign key to one references, as
    /// `regclass` prints it.
    #[diesel(sql_type = Array<Text>)]
    tenant_parents: Vec<String>,
    /// Each such foreign key's columns, in the order of `tenant_parents`.
    #[diesel(sql_type = Array<Text>)]
    parent_keys: Vec<String>,
}

/// Checks that no table declared shared is declared tenant-scoped too, is under
/// row-level security, has a column named like a tenant column, or references a
/// tenant table (its rows are a tenant's through their parent). A table is
/// looked up as the application's queries name it, through the search path.
// Catalog queries, with every value bound; the lint is for handler code.
#[allow(clippy::disallowed_methods)]
pub(super) fn check(
    conn: &mut PgConnection,
    rls: &RlsMigrations,
    problems: &mut Vec<IsolationProblem>,
) -> Result<(), diesel::result::Error> {
    let tenant_columns: Vec<&str> = rls.tables().iter().map(RlsTable::tenant_column).collect();
    let tenant_tables: Vec<&str> = rls.tables().iter().map(RlsTable::table).collect();
    // A foreign key of the shared table `c` to one of the declared tenant
    // tables (`$3`), found as the application's queries name them.
    let to_tenant_table = "k.conrelid = c.oid AND k.contype = 'f' \
         AND k.confrelid IN (SELECT to_regclass(quote_ident(t)) FROM unnest($3::text[]) AS t)";
    for shared in rls.shared_tables() {
        if rls.tables().iter().any(|t| t.table() == shared) {
            problems.push(IsolationProblem::SharedTableIsATenantTable(shared.clone()));
            continue;
        }
        let state: Option<SharedState> = diesel::sql_query(format!(
            "SELECT c.relrowsecurity AS rls, \
                    ARRAY(SELECT a.attname::text FROM pg_attribute a \
                          WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
                            AND a.attname = ANY($2) ORDER BY 1) AS tenant_columns, \
                    ARRAY(SELECT k.confrelid::regclass::text FROM pg_constraint k \
                          WHERE {to_tenant_table} ORDER BY k.conname) AS tenant_parents, \
                    ARRAY(SELECT array_to_string(ARRAY(SELECT quote_ident(a.attname) \
                                                       FROM unnest(k.conkey) WITH ORDINALITY AS u(attnum, n) \
                                                       JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum \
                                                       ORDER BY u.n), ', ') \
                          FROM pg_constraint k \
                          WHERE {to_tenant_table} ORDER BY k.conname) AS parent_keys \
             FROM pg_class c \
             WHERE c.oid = to_regclass(quote_ident($1)) AND c.relkind IN ('r', 'p')",
        ))
        .bind::<Text, _>(shared)
        .bind::<Array<Text>, _>(&tenant_columns)
        .bind::<Array<Text>, _>(&tenant_tables)
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
        for (parent, foreign_key) in state.tenant_parents.into_iter().zip(state.parent_keys) {
            problems.push(IsolationProblem::SharedTableReferencesATenantTable {
                table: shared.clone(),
                parent,
                foreign_key,
            });
        }
    }
    Ok(())
}
