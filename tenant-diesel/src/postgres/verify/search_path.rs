//! The schemas every unit of work searches: the role must not be able to create
//! in them, or a table, view or function of its own named like a tenant table
//! would be found first (or instead) on every pooled connection.

use diesel::pg::PgConnection;
use diesel::sql_types::Text;
use diesel::{QueryableByName, RunQueryDsl};

use super::IsolationProblem;
use crate::postgres::RlsMigrations;

#[derive(QueryableByName)]
struct Schema {
    #[diesel(sql_type = Text)]
    schema: String,
}

/// Checks each schema of the setting's pinned search path that exists.
// Catalog queries, with every value bound; the lint is for handler code.
#[allow(clippy::disallowed_methods)]
pub(super) fn check(
    conn: &mut PgConnection,
    rls: &RlsMigrations,
    problems: &mut Vec<IsolationProblem>,
) -> Result<(), diesel::result::Error> {
    for name in rls.tenant_setting().schemas() {
        let creatable: Vec<Schema> = diesel::sql_query(
            "SELECT quote_ident(nspname) AS schema FROM pg_namespace \
             WHERE nspname = $1 AND has_schema_privilege(oid, 'CREATE')",
        )
        .bind::<Text, _>(name)
        .load(conn)?;
        problems.extend(
            creatable
                .into_iter()
                .map(|s| IsolationProblem::CreateOnSearchPath { schema: s.schema }),
        );
    }
    Ok(())
}
