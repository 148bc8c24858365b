//! Rewrite rules that touch the tenant tables: a rule's action runs with the
//! rights of its table's owner, whoever triggered it.

use diesel::pg::PgConnection;
use diesel::sql_types::Text;
use diesel::{QueryableByName, RunQueryDsl};

use super::catalog::{Oids, Relations};
use super::IsolationProblem;

#[derive(QueryableByName)]
struct Rule {
    #[diesel(sql_type = Text)]
    table: String,
    #[diesel(sql_type = Text)]
    rule: String,
}

/// Checks for rules on a tenant relation, and rules elsewhere whose action
/// depends on one (`DO ALSO INSERT INTO accounts ..`). A view's own `_RETURN`
/// rule is the view, checked with the views.
// Catalog queries, with every value bound; the lint is for handler code.
#[allow(clippy::disallowed_methods)]
pub(super) fn check(
    conn: &mut PgConnection,
    relations: &Relations,
    problems: &mut Vec<IsolationProblem>,
) -> Result<(), diesel::result::Error> {
    let rules: Vec<Rule> = diesel::sql_query(
        "SELECT r.ev_class::regclass::text AS table, quote_ident(r.rulename) AS rule \
         FROM pg_rewrite r \
         WHERE r.rulename <> '_RETURN' \
           AND (r.ev_class = ANY($1) \
                OR EXISTS (SELECT FROM pg_depend d \
                           WHERE d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid \
                             AND d.refclassid = 'pg_class'::regclass AND d.refobjid = ANY($1))) \
         ORDER BY 1, 2",
    )
    .bind::<Oids, _>(relations.oids())
    .load(conn)?;
    problems.extend(rules.into_iter().map(|r| IsolationProblem::RewriteRule {
        table: r.table,
        rule: r.rule,
    }));
    Ok(())
}
