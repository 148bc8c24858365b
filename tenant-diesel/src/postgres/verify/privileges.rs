//! What the role may do to the tenant tables beyond reading and writing rows:
//! the privileges row-level security does not govern.

use diesel::pg::PgConnection;
use diesel::sql_types::{Array, Text};
use diesel::{QueryableByName, RunQueryDsl};

use super::catalog::{Oids, Relations};
use super::{acl, IsolationProblem};

#[derive(QueryableByName)]
struct Extra {
    #[diesel(sql_type = Text)]
    table: String,
    #[diesel(sql_type = Text)]
    privilege: String,
    #[diesel(sql_type = Array<Text>)]
    grantees: Vec<String>,
}

/// Checks `TRUNCATE`, `TRIGGER` and `REFERENCES` (on the table or any of its
/// columns) on every tenant relation the role does not own (an owner is
/// reported as one).
///
/// `has_table_privilege` counts grants to `PUBLIC` and to the roles the role
/// inherits from; the grantees named in the fix are read from the table's and
/// its columns' access lists.
// Catalog queries, with every value bound; the lint is for handler code.
#[allow(clippy::disallowed_methods)]
pub(super) fn check(
    conn: &mut PgConnection,
    relations: &Relations,
    problems: &mut Vec<IsolationProblem>,
) -> Result<(), diesel::result::Error> {
    let extras: Vec<Extra> = diesel::sql_query(format!(
        "SELECT c.oid::regclass::text AS table, p.privilege, \
                {} AS grantees \
         FROM pg_class c CROSS JOIN unnest(ARRAY['TRUNCATE', 'TRIGGER', 'REFERENCES']) AS p(privilege) \
         WHERE c.oid = ANY($1) AND NOT pg_has_role(current_user, c.relowner, 'MEMBER') \
           AND CASE p.privilege WHEN 'REFERENCES' THEN has_any_column_privilege(c.oid, 'REFERENCES') \
                                ELSE has_table_privilege(c.oid, p.privilege) END \
         ORDER BY 1, 2",
        acl::grantees(&acl::relation("c"), "a.privilege_type = p.privilege")
    ))
    .bind::<Oids, _>(relations.oids())
    .load(conn)?;
    problems.extend(
        extras
            .into_iter()
            .map(|e| IsolationProblem::ExtraPrivilege {
                table: e.table,
                privilege: e.privilege,
                grantees: e.grantees,
            }),
    );
    Ok(())
}
