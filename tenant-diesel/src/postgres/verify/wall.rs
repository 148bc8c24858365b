//! The library's own wall in the database: its functions exactly as generated,
//! and its signing key out of the role's reach.

use diesel::pg::PgConnection;
use diesel::sql_types::{Array, Bool, Oid, Text};
use diesel::{OptionalExtension, QueryableByName, RunQueryDsl};

use super::{acl, IsolationProblem, WallFunctionFault};
use crate::postgres::lookups::generated_functions;
use crate::postgres::wall_sql::{is_verifier, wall_functions, PINNED_CONFIG};
use crate::postgres::RlsMigrations;

/// The table that holds the signing key.
const SIGNING_KEY: &str = "tenant_wall.signing_key";

#[derive(QueryableByName)]
struct WallFunction {
    #[diesel(sql_type = Oid)]
    oid: u32,
    #[diesel(sql_type = Text)]
    function: String,
    #[diesel(sql_type = Bool)]
    same_body: bool,
    #[diesel(sql_type = Bool)]
    pinned: bool,
    #[diesel(sql_type = Bool)]
    role_owns: bool,
}

impl WallFunction {
    /// What differs from the generated function: its body, its settings
    /// (exactly `search_path = pg_catalog, pg_temp`), an owner the role can act
    /// as.
    fn faults(&self) -> impl Iterator<Item = WallFunctionFault> {
        [
            (!self.same_body, WallFunctionFault::Body),
            (!self.pinned, WallFunctionFault::SearchPath),
            (self.role_owns, WallFunctionFault::OwnedByRole),
        ]
        .into_iter()
        .filter_map(|(wrong, fault)| wrong.then_some(fault))
    }
}

#[derive(QueryableByName)]
struct Key {
    #[diesel(sql_type = Text)]
    table: String,
    #[diesel(sql_type = Bool)]
    reachable: bool,
    #[diesel(sql_type = Array<Text>)]
    grantees: Vec<String>,
}

/// Checks each wall function against the generated one (its body as
/// `pg_proc.prosrc` holds it, a pinned `search_path`, an owner the role cannot
/// act as) and the signing key's table; returns the oids of the wall functions
/// found, which the scan of `SECURITY DEFINER` functions leaves to this check.
///
/// The policies trust `current_tenant()` whatever its rights, so it is checked
/// whether or not it is `SECURITY DEFINER`. In the unsigned mode it need not
/// exist.
// Catalog queries, with every value bound; the lint is for handler code.
#[allow(clippy::disallowed_methods)]
pub(super) fn check(
    conn: &mut PgConnection,
    rls: &RlsMigrations,
    problems: &mut Vec<IsolationProblem>,
) -> Result<Vec<u32>, diesel::result::Error> {
    let mut found = Vec::new();
    for (name, body) in wall_functions(rls.tenant_setting()) {
        let function: Option<WallFunction> = diesel::sql_query(
            "SELECT p.oid, p.oid::regprocedure::text AS function, p.prosrc = $2 AS same_body, \
                    COALESCE(p.proconfig = ARRAY[$3::text], false) AS pinned, \
                    pg_has_role(current_user, p.proowner, 'MEMBER') AS role_owns \
             FROM pg_proc p WHERE p.oid = to_regprocedure($1 || '()')",
        )
        .bind::<Text, _>(name)
        .bind::<Text, _>(&body)
        .bind::<Text, _>(PINNED_CONFIG)
        .get_result(conn)
        .optional()?;
        let Some(function) = function else {
            if rls.is_signed() || !is_verifier(name) {
                problems.push(IsolationProblem::WallFunctionAltered {
                    function: format!("{name}()"),
                    fault: WallFunctionFault::Missing,
                });
            }
            continue;
        };
        problems.extend(
            function
                .faults()
                .map(|fault| IsolationProblem::WallFunctionAltered {
                    function: function.function.clone(),
                    fault,
                }),
        );
        found.push(function.oid);
    }
    found.extend(check_lookups(conn, rls, problems)?);

    let key: Option<Key> = diesel::sql_query(format!(
        "SELECT c.oid::regclass::text AS table, \
                (pg_has_role(current_user, c.relowner, 'MEMBER') \
                 OR has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER') \
                 OR has_any_column_privilege(c.oid, 'SELECT, INSERT, UPDATE, REFERENCES')) AS reachable, \
                {} AS grantees \
         FROM pg_class c WHERE c.oid = to_regclass($1)",
        acl::grantees(&acl::relation("c"), "true")
    ))
    .bind::<Text, _>(SIGNING_KEY)
    .get_result(conn)
    .optional()?;
    if let Some(key) = key.filter(|k| k.reachable) {
        problems.push(IsolationProblem::SigningKeyExposed {
            table: key.table,
            grantees: key.grantees,
        });
    }
    Ok(found)
}

/// Checks each declared tenant lookup against the generated one: the same body
/// in language `sql`, `search_path` pinned to exactly `pg_catalog, pg_temp`
/// (another value, or another setting beside it, fails), and an owner the role
/// cannot act as. Returns the oids of those found, which the scan of `SECURITY
/// DEFINER` functions leaves to this check; an undeclared lookup is left to
/// that scan.
// Catalog queries, with every value bound; the lint is for handler code.
#[allow(clippy::disallowed_methods)]
fn check_lookups(
    conn: &mut PgConnection,
    rls: &RlsMigrations,
    problems: &mut Vec<IsolationProblem>,
) -> Result<Vec<u32>, diesel::result::Error> {
    let mut found = Vec::new();
    for generated in generated_functions(rls) {
        let function: Option<WallFunction> = diesel::sql_query(
            "SELECT p.oid, p.oid::regprocedure::text AS function, \
                    (p.prosrc = $2 AND l.lanname = 'sql') AS same_body, \
                    COALESCE(p.proconfig = ARRAY[$3::text], false) AS pinned, \
                    pg_has_role(current_user, p.proowner, 'MEMBER') AS role_owns \
             FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang \
             WHERE p.oid = to_regprocedure($1)",
        )
        .bind::<Text, _>(&generated.signature)
        .bind::<Text, _>(&generated.body)
        .bind::<Text, _>(PINNED_CONFIG)
        .get_result(conn)
        .optional()?;
        let Some(function) = function else {
            problems.push(IsolationProblem::LookupFunctionAltered {
                function: generated.name,
                fault: WallFunctionFault::Missing,
            });
            continue;
        };
        problems.extend(
            function
                .faults()
                .map(|fault| IsolationProblem::LookupFunctionAltered {
                    function: function.function.clone(),
                    fault,
                }),
        );
        found.push(function.oid);
    }
    Ok(found)
}
