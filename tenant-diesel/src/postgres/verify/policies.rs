//! The policies on the tenant tables: the generated one, exactly, and no other
//! permissive policy beside it; and whether the tenant they trust is signed.

use std::collections::HashSet;

use diesel::pg::PgConnection;
use diesel::sql_types::{Array, Bool, Nullable, Oid, Text};
use diesel::{QueryableByName, RunQueryDsl};

use super::catalog::{Attnums, Oids, Relations};
use super::IsolationProblem;
use crate::postgres::wall_sql::{CURRENT_TENANT, CURRENT_TENANT_UUID};
use crate::postgres::RlsMigrations;

#[derive(QueryableByName)]
struct Policy {
    #[diesel(sql_type = Oid)]
    oid: u32,
    #[diesel(sql_type = Text)]
    name: String,
    /// Named as the migration names the tenant policy.
    #[diesel(sql_type = Bool)]
    generated_name: bool,
    #[diesel(sql_type = Bool)]
    permissive: bool,
    /// Permissive, for every command, with the generated expressions.
    #[diesel(sql_type = Bool)]
    exact: bool,
    /// It applies to the role (`PUBLIC`, or a role the role can become).
    #[diesel(sql_type = Bool)]
    applies: bool,
    #[diesel(sql_type = Nullable<Text>)]
    expected: Option<String>,
    /// Exactly the generated policy that shows a table's shared rows: named so,
    /// permissive, `SELECT` only, `USING (tenant_col IS NULL)`.
    #[diesel(sql_type = Bool)]
    shared_rows: bool,
}

/// The generated signed predicate as PostgreSQL prints it back (`pg_policies`,
/// `pg_get_expr`), by the tenant column's type: `(tenant_id = ( SELECT
/// tenant_wall.current_tenant() AS current_tenant))` for an integer column,
/// `current_tenant_uuid()` for a `uuid` one, `(..current_tenant_uuid())::text`
/// for a `text` one. The function's name is printed as `regproc` prints it,
/// qualified unless the search path finds it, which is how the printer of the
/// policy decides too; `$3` is the integer verifier's qualified name, `$4` the
/// UUID verifier's.
const SIGNED: &str = "format('(%I = ( SELECT %s AS %s))', a.attname, \
     CASE a.atttypid \
       WHEN 'uuid'::regtype THEN format('%s()', to_regprocedure($4::text || '()')::oid::regproc) \
       WHEN 'text'::regtype THEN format('(%s())::text', to_regprocedure($4::text || '()')::oid::regproc) \
       ELSE format('%s()', to_regprocedure($3::text || '()')::oid::regproc) END, \
     CASE WHEN a.atttypid IN ('uuid'::regtype, 'text'::regtype) \
       THEN split_part($4::text, '.', 2) ELSE split_part($3::text, '.', 2) END)";

/// The generated unsigned predicate as PostgreSQL prints it back, by the
/// tenant column's type: `(tenant_id = (NULLIF(current_setting('app.tenant_id'::text,
/// true), ''::text))::bigint)`, `::uuid` for a `uuid` column, no cast for a
/// `text` one; `$3` is the setting, `$4` the empty string.
const UNSIGNED: &str = "CASE a.atttypid \
     WHEN 'text'::regtype THEN format('(%I = NULLIF(current_setting(%L::text, true), %L::text))', a.attname, $3::text, $4::text) \
     ELSE format('(%I = (NULLIF(current_setting(%L::text, true), %L::text))::%s)', a.attname, $3::text, $4::text, \
                 CASE a.atttypid WHEN 'uuid'::regtype THEN 'uuid' ELSE 'bigint' END) END";

/// Checks the policies of the declared tables and of the children the role can
/// reach; returns the relations that carry the tenant policy.
///
/// The expressions are compared as text, exactly, with what PostgreSQL prints
/// for the generated ones (a pattern match would accept a fail-open
/// `tenant_id = COALESCE(.., tenant_id)`). The expected text is computed by the
/// server that prints the policies, so quoting and qualification agree.
// Catalog queries, with every value bound; the lint is for handler code.
#[allow(clippy::disallowed_methods)]
pub(super) fn check(
    conn: &mut PgConnection,
    relations: &Relations,
    rls: &RlsMigrations,
    problems: &mut Vec<IsolationProblem>,
) -> Result<HashSet<u32>, diesel::result::Error> {
    // A table reached through its parent trusts the parent's policy: the
    // parent must be behind the wall too.
    for table in rls.tables() {
        if let Some((parent, _)) = table.parent() {
            if !rls.tables().iter().any(|t| t.table() == parent) {
                problems.push(IsolationProblem::ThroughParentNotDeclared {
                    table: table.table().to_owned(),
                    parent: parent.to_owned(),
                });
            }
        }
    }
    // Each relation's parent and parent key, for a table reached through its
    // parent (a child table has its root's), in the order of the oids.
    let (parents, parent_keys): (Vec<Option<&str>>, Vec<Option<&str>>) = relations
        .list
        .iter()
        .map(|relation| {
            let parent = rls
                .tables()
                .iter()
                .find(|t| t.table() == relation.root)
                .and_then(|t| t.parent());
            (parent.map(|p| p.0), parent.map(|p| p.1))
        })
        .unzip();
    if !rls.is_signed() {
        problems.push(IsolationProblem::UnsignedTenant {
            setting: rls.tenant_setting().name().to_owned(),
        });
    }
    let (expected, first, second) = if rls.is_signed() {
        (SIGNED, CURRENT_TENANT, CURRENT_TENANT_UUID)
    } else {
        (UNSIGNED, rls.tenant_setting().name(), "")
    };
    // As PostgreSQL prints them, whitespace made single spaces: a subquery is
    // printed over two lines.
    let qual = "regexp_replace(pg_get_expr(p.polqual, p.polrelid), '\\s+', ' ', 'g')";
    let with_check = "regexp_replace(pg_get_expr(p.polwithcheck, p.polrelid), '\\s+', ' ', 'g')";
    let policies: Vec<Policy> = diesel::sql_query(format!(
        "SELECT w.oid AS oid, quote_ident(p.polname) AS name, \
                p.polname = c.relname || '_tenant_isolation' AS generated_name, \
                p.polpermissive AS permissive, \
                COALESCE(p.polpermissive AND p.polcmd = '*' \
                         AND {qual} = e.expected \
                         AND COALESCE({with_check} = e.expected, true), false) AS exact, \
                (0::oid = ANY(p.polroles) OR EXISTS (SELECT FROM unnest(p.polroles) r \
                                                    WHERE pg_has_role(current_user, r, 'MEMBER'))) AS applies, \
                e.expected, \
                COALESCE(p.polname = c.relname || '_shared_rows' AND p.polpermissive AND p.polcmd = 'r' \
                         AND p.polwithcheck IS NULL \
                         AND pg_get_expr(p.polqual, p.polrelid) = e.shared, false) AS shared_rows \
         FROM unnest($1::oid[], $2::int2[], $5::text[], $6::text[]) AS w(oid, attnum, parent, parent_key) \
         JOIN pg_class c ON c.oid = w.oid \
         JOIN pg_policy p ON p.polrelid = w.oid \
         LEFT JOIN LATERAL (SELECT CASE WHEN w.parent IS NULL THEN {expected} \
                                   ELSE format('(%I IN ( SELECT %I.%I FROM %s))', a.attname, w.parent, w.parent_key, \
                                               to_regclass(quote_ident(w.parent))::text) END AS expected, \
                                   format('(%I IS NULL)', a.attname) AS shared \
                            FROM pg_attribute a \
                            WHERE a.attrelid = w.oid AND a.attnum = w.attnum) e ON true \
         ORDER BY w.oid, p.polname"
    ))
    .bind::<Oids, _>(relations.oids())
    .bind::<Attnums, _>(relations.tenant_attnums())
    .bind::<Text, _>(first)
    .bind::<Text, _>(second)
    .bind::<Array<Nullable<Text>>, _>(&parents)
    .bind::<Array<Nullable<Text>>, _>(&parent_keys)
    .load(conn)?;

    // The declared tables whose `NULL`-tenant rows are shared: the only ones
    // whose shared-rows policy is accepted (on the table itself, not on its
    // children, which the migration gives none).
    let shared: HashSet<&str> = rls
        .tables()
        .iter()
        .filter(|table| table.has_shared_rows())
        .map(|table| table.table())
        .collect();
    let mut walled = HashSet::new();
    for relation in relations.walled() {
        let own: Vec<&Policy> = policies
            .iter()
            .filter(|p| p.oid == relation.oid)
            .filter(|p| {
                !(p.shared_rows && !relation.child && shared.contains(relation.root.as_str()))
            })
            .collect();
        if own.iter().any(|p| p.exact) {
            walled.insert(relation.oid);
        } else if !relation.child && !own.iter().any(|p| p.generated_name) {
            problems.push(IsolationProblem::MissingPolicy(relation.root.clone()));
        }
        for policy in own.into_iter().filter(|p| !p.exact) {
            if policy.generated_name {
                problems.push(IsolationProblem::AlteredTenantPolicy {
                    table: relation.name.clone(),
                    policy: policy.name.clone(),
                    expected: policy.expected.clone().unwrap_or_default(),
                });
            } else if policy.permissive && policy.applies {
                problems.push(IsolationProblem::PermissivePolicy {
                    table: relation.name.clone(),
                    policy: policy.name.clone(),
                });
            }
        }
    }
    Ok(walled)
}
