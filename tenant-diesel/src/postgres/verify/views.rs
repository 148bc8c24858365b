//! Views and materialized views over the tenant tables, at any depth: a view
//! reads with its owner's rights unless it is `security_invoker`, and a
//! materialized view holds a copy of every tenant's rows.

use diesel::pg::PgConnection;
use diesel::sql_types::{Array, Bool, Text};
use diesel::{QueryableByName, RunQueryDsl};

use super::catalog::{Oids, Relations};
use super::{acl, IsolationProblem};

#[derive(QueryableByName)]
struct Reader {
    #[diesel(sql_type = Text)]
    view: String,
    #[diesel(sql_type = Text)]
    table: String,
    #[diesel(sql_type = Bool)]
    materialized: bool,
    #[diesel(sql_type = Array<Text>)]
    grantees: Vec<String>,
}

/// The view rules (`r`) that read a relation (`d.refobjid`), as a recursive
/// query's step and start share it.
///
/// `pg_depend` records a rule's dependency on a table's columns both when the
/// rule reads the table and when it only calls a function that returns the
/// table's row type; the second is no read (a `SECURITY INVOKER` function runs
/// as the caller, under the policies). Such a dependency is set aside only when
/// a function of the rule returns the row type and the rule's query tree
/// (`ev_action`) holds no range table entry of the relation (`:relid <oid>`).
pub(super) const READS: &str = "d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass \
     AND r.oid = d.objid AND r.rulename = '_RETURN' AND r.ev_class <> d.refobjid \
     AND (r.ev_action::text ~ (':relid ' || d.refobjid::text || '\\M') \
          OR NOT EXISTS (SELECT FROM pg_depend fd JOIN pg_proc f ON f.oid = fd.refobjid \
                         WHERE fd.classid = 'pg_rewrite'::regclass AND fd.objid = r.oid \
                           AND fd.refclassid = 'pg_proc'::regclass \
                           AND f.prorettype = (SELECT reltype FROM pg_class WHERE oid = d.refobjid)))";

/// Checks every view and materialized view that reads a tenant relation,
/// directly or through other views.
///
/// `security_invoker` is read with PostgreSQL's own boolean parsing
/// (`option_value::boolean`), so `1`, `on`, `yes`, `true` and `t` all count.
// Catalog queries, with every value bound; the lint is for handler code.
#[allow(clippy::disallowed_methods)]
pub(super) fn check(
    conn: &mut PgConnection,
    relations: &Relations,
    problems: &mut Vec<IsolationProblem>,
) -> Result<(), diesel::result::Error> {
    let readers: Vec<Reader> = diesel::sql_query(format!(
        "WITH RECURSIVE reads(view, tenant) AS ( \
             SELECT r.ev_class, d.refobjid FROM pg_depend d, pg_rewrite r \
             WHERE d.refobjid = ANY($1) AND {READS} \
             UNION \
             SELECT r.ev_class, reads.tenant FROM reads, pg_depend d, pg_rewrite r \
             WHERE d.refobjid = reads.view AND {READS}) \
         SELECT DISTINCT v.oid::regclass::text AS view, t.oid::regclass::text AS table, \
                v.relkind = 'm' AS materialized, {grantees} AS grantees \
         FROM reads JOIN pg_class v ON v.oid = reads.view JOIN pg_class t ON t.oid = reads.tenant \
         WHERE (v.relkind = 'v' \
                AND NOT COALESCE((SELECT o.option_value::boolean FROM pg_options_to_table(v.reloptions) o \
                                  WHERE o.option_name = 'security_invoker'), false)) \
            OR (v.relkind = 'm' AND has_any_column_privilege(v.oid, 'SELECT')) \
         ORDER BY 1, 2",
        grantees = acl::grantees(&acl::relation("v"), "a.privilege_type = 'SELECT'")
    ))
    .bind::<Oids, _>(relations.oids())
    .load(conn)?;
    problems.extend(readers.into_iter().map(|r| {
        if r.materialized {
            IsolationProblem::MaterializedView {
                view: r.view,
                table: r.table,
                grantees: r.grantees,
            }
        } else {
            IsolationProblem::ViewWithoutSecurityInvoker {
                view: r.view,
                table: r.table,
            }
        }
    }));
    Ok(())
}
