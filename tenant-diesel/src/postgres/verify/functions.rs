//! `SECURITY DEFINER` functions that run as a role the policies do not hold:
//! those the role can call, and those that triggers on tenant tables call on
//! every tenant's writes.

use diesel::pg::PgConnection;
use diesel::sql_types::{Array, Oid, Text};
use diesel::{QueryableByName, RunQueryDsl};

use super::catalog::{Oids, Relations};
use super::{acl, IsolationProblem};

#[derive(QueryableByName)]
struct Definer {
    #[diesel(sql_type = Text)]
    function: String,
    #[diesel(sql_type = Text)]
    owner: String,
    #[diesel(sql_type = Array<Text>)]
    grantees: Vec<String>,
}

#[derive(QueryableByName)]
struct Trigger {
    #[diesel(sql_type = Text)]
    table: String,
    #[diesel(sql_type = Text)]
    trigger: String,
    #[diesel(sql_type = Text)]
    function: String,
    #[diesel(sql_type = Text)]
    owner: String,
}

/// The roles that bypass row-level security on the tenant relations (`$1`): a
/// superuser, a `BYPASSRLS` role, or an owner of one (or a member of an owner),
/// who can turn it off or, unforced, is not subject to it.
const BYPASSES: &str = "(SELECT r.oid FROM pg_roles r WHERE r.rolsuper OR r.rolbypassrls \
     OR EXISTS (SELECT FROM pg_class t WHERE t.oid = ANY($1) AND pg_has_role(r.oid, t.relowner, 'MEMBER')))";

/// Checks the `SECURITY DEFINER` functions the role can execute and the
/// triggers of the tenant relations; `wall` are the library's own functions,
/// which [`super::wall`] checks against their generated definitions.
// Catalog queries, with every value bound; the lint is for handler code.
#[allow(clippy::disallowed_methods)]
pub(super) fn check(
    conn: &mut PgConnection,
    relations: &Relations,
    wall: &[u32],
    problems: &mut Vec<IsolationProblem>,
) -> Result<(), diesel::result::Error> {
    let definers: Vec<Definer> = diesel::sql_query(format!(
        "SELECT p.oid::regprocedure::text AS function, quote_ident(pg_get_userbyid(p.proowner)::text) AS owner, \
                {grantees} AS grantees \
         FROM pg_proc p \
         WHERE p.prosecdef AND p.proowner IN {BYPASSES} AND p.oid <> ALL($2) \
           AND has_function_privilege(p.oid, 'EXECUTE') \
         ORDER BY 1",
        grantees = acl::grantees(&acl::function("p"), "a.privilege_type = 'EXECUTE'")
    ))
    .bind::<Oids, _>(relations.oids())
    .bind::<Array<Oid>, _>(wall)
    .load(conn)?;
    problems.extend(
        definers
            .into_iter()
            .map(|d| IsolationProblem::DefinerFunction {
                function: d.function,
                owner: d.owner,
                grantees: d.grantees,
            }),
    );

    // Whoever writes, a trigger's function runs; a trigger cloned onto a
    // partition (`tgparentid`) is its parent's.
    let triggers: Vec<Trigger> = diesel::sql_query(format!(
        "SELECT tg.tgrelid::regclass::text AS table, quote_ident(tg.tgname) AS trigger, \
                p.oid::regprocedure::text AS function, quote_ident(pg_get_userbyid(p.proowner)::text) AS owner \
         FROM pg_trigger tg JOIN pg_proc p ON p.oid = tg.tgfoid \
         WHERE tg.tgrelid = ANY($1) AND NOT tg.tgisinternal AND tg.tgparentid = 0 \
           AND p.prosecdef AND p.proowner IN {BYPASSES} \
         ORDER BY 1, 2"
    ))
    .bind::<Oids, _>(relations.oids())
    .load(conn)?;
    problems.extend(
        triggers
            .into_iter()
            .map(|t| IsolationProblem::DefinerTrigger {
                table: t.table,
                trigger: t.trigger,
                function: t.function,
                owner: t.owner,
            }),
    );
    Ok(())
}
