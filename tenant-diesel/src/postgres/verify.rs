use std::fmt;

use diesel::pg::PgConnection;
use diesel::sql_types::{Array, Bool, Text};
use diesel::{OptionalExtension, QueryableByName, RunQueryDsl};

use super::{RlsMigrations, RlsTable};

/// What [`verify_isolation`] found wrong, every problem at once.
#[derive(Debug, thiserror::Error)]
pub enum IsolationError {
    /// The setup would let one tenant see another's rows.
    #[error("row-level security would not isolate tenants for role `{role}`:{}", list(.problems))]
    Unsafe {
        /// The role the application connects as.
        role: String,
        /// Each problem, named.
        problems: Vec<IsolationProblem>,
    },
    /// The catalog could not be read.
    #[error("could not check row-level security: {0}")]
    Query(#[from] diesel::result::Error),
}

fn list(problems: &[IsolationProblem]) -> String {
    problems.iter().map(|p| format!("\n  - {p}")).collect()
}

/// One way the database wall would not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IsolationProblem {
    /// Superusers bypass row-level security.
    Superuser,
    /// `BYPASSRLS` roles bypass row-level security.
    BypassRls,
    /// A table's owner bypasses its policies unless they are forced; owning a
    /// tenant table also lets the role drop them.
    OwnsTable(String),
    /// The table does not exist in the search path.
    MissingTable(String),
    /// `ENABLE ROW LEVEL SECURITY` was not run.
    RlsDisabled(String),
    /// `FORCE ROW LEVEL SECURITY` was not run.
    RlsNotForced(String),
    /// No policy compares the tenant column with the setting.
    MissingPolicy(String),
    /// A permissive policy that does not check the tenant: permissive policies
    /// are OR-ed, so it opens the table to every tenant.
    PermissivePolicy {
        /// The table.
        table: String,
        /// The policy.
        policy: String,
    },
    /// A table declared shared (`global_table!`) is a tenant table: declared
    /// tenant-scoped under the same SQL name, or under row-level security.
    SharedTableIsATenantTable(String),
    /// A table declared shared has a column named like a tenant column.
    SharedTableWithTenantColumn {
        /// The table.
        table: String,
        /// The column.
        column: String,
    },
    /// A view over a tenant table runs with its owner's rights unless it is
    /// `security_invoker`, and so bypasses the policies.
    ViewWithoutSecurityInvoker {
        /// The view.
        view: String,
        /// The tenant table it reads.
        table: String,
    },
}

impl fmt::Display for IsolationProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Superuser => f.write_str("the role is a superuser, which bypasses row-level security: connect as a role made with NOSUPERUSER"),
            Self::BypassRls => f.write_str("the role has BYPASSRLS: ALTER ROLE .. NOBYPASSRLS, or connect as another role"),
            Self::OwnsTable(t) => write!(f, "the role owns tenant table `{t}`: let a migration role own it and GRANT the application role what it needs"),
            Self::MissingTable(t) => write!(f, "tenant table `{t}` does not exist in the search path"),
            Self::RlsDisabled(t) => write!(f, "row-level security is not enabled on `{t}`: ALTER TABLE {t} ENABLE ROW LEVEL SECURITY"),
            Self::RlsNotForced(t) => write!(f, "row-level security is not forced on `{t}`: ALTER TABLE {t} FORCE ROW LEVEL SECURITY"),
            Self::MissingPolicy(t) => write!(f, "`{t}` has no policy comparing its tenant column with the tenant setting (USING and WITH CHECK): run the generated RLS migration"),
            Self::PermissivePolicy { table, policy } => write!(f, "permissive policy `{policy}` on `{table}` does not check the tenant, and permissive policies are OR-ed: drop it or make it RESTRICTIVE"),
            Self::SharedTableIsATenantTable(t) => write!(f, "`{t}` is declared shared (global_table!) but is a tenant table (declared tenant-scoped, or under row-level security): a second `table!` of it declared global reads every tenant's rows; query it through its model"),
            Self::SharedTableWithTenantColumn { table, column } => write!(f, "shared table `{table}` has a tenant column `{column}`: a table that says which tenant owns each row is a tenant table; derive TenantScoped on its model, or mark the column `#[not_a_tenant_column]` and rename it in the database"),
            Self::ViewWithoutSecurityInvoker { view, table } => write!(f, "view `{view}` reads tenant table `{table}` with its owner's rights: ALTER VIEW {view} SET (security_invoker = true)"),
        }
    }
}

#[derive(QueryableByName)]
struct Role {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Bool)]
    superuser: bool,
    #[diesel(sql_type = Bool)]
    bypass_rls: bool,
}

#[derive(QueryableByName)]
struct TableState {
    #[diesel(sql_type = Bool)]
    enabled: bool,
    #[diesel(sql_type = Bool)]
    forced: bool,
    #[diesel(sql_type = Bool)]
    owned: bool,
}

#[derive(QueryableByName)]
struct Policy {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Bool)]
    permissive: bool,
    #[diesel(sql_type = Bool)]
    checks_tenant: bool,
    #[diesel(sql_type = Bool)]
    covers_writes: bool,
}

#[derive(QueryableByName)]
struct View {
    #[diesel(sql_type = Text)]
    view: String,
    #[diesel(sql_type = Text)]
    table: String,
}

/// Refuses to start when the database wall would not hold for the role `conn` is
/// connected as: a superuser or `BYPASSRLS` role, a role that owns a tenant table,
/// a tenant table without row-level security enabled and forced or without the
/// tenant policy, a permissive policy that ignores the tenant, or a view over a
/// tenant table that is not `security_invoker`; and a table declared shared
/// ([`RlsMigrations::global_table`]) that is a tenant table under another
/// declaration, under row-level security, or with a tenant column.
///
/// Call it at start-up with the application's own connection (the pool's role).
// Catalog queries, with every value bound; the lint is for handler code.
#[allow(clippy::disallowed_methods)]
pub fn verify_isolation(
    conn: &mut PgConnection,
    rls: &RlsMigrations,
) -> Result<(), IsolationError> {
    let role: Role = diesel::sql_query(
        "SELECT rolname::text AS name, rolsuper AS superuser, rolbypassrls AS bypass_rls \
         FROM pg_roles WHERE rolname = current_user",
    )
    .get_result(conn)?;
    let mut problems = Vec::new();
    if role.superuser {
        problems.push(IsolationProblem::Superuser);
    }
    if role.bypass_rls {
        problems.push(IsolationProblem::BypassRls);
    }
    for table in rls.tables() {
        check_table(conn, table, rls.tenant_setting().name(), &mut problems)?;
    }
    check_shared_tables(conn, rls, &mut problems)?;
    let names: Vec<&str> = rls.tables().iter().map(RlsTable::table).collect();
    let views: Vec<View> = diesel::sql_query(
        "SELECT DISTINCT v.relname::text AS view, t.relname::text AS table \
         FROM pg_class v \
         JOIN pg_rewrite r ON r.ev_class = v.oid \
         JOIN pg_depend d ON d.objid = r.oid AND d.classid = 'pg_rewrite'::regclass \
         JOIN pg_class t ON t.oid = d.refobjid \
         WHERE v.relkind = 'v' AND t.relkind IN ('r', 'p') AND t.relname = ANY($1) \
           AND NOT COALESCE(v.reloptions @> ARRAY['security_invoker=true'] \
                         OR v.reloptions @> ARRAY['security_invoker=on'], false) \
         ORDER BY 1, 2",
    )
    .bind::<Array<Text>, _>(&names)
    .load(conn)?;
    problems.extend(
        views
            .into_iter()
            .map(|v| IsolationProblem::ViewWithoutSecurityInvoker {
                view: v.view,
                table: v.table,
            }),
    );
    if problems.is_empty() {
        Ok(())
    } else {
        Err(IsolationError::Unsafe {
            role: role.name,
            problems,
        })
    }
}

#[derive(QueryableByName)]
struct SharedState {
    #[diesel(sql_type = Bool)]
    rls: bool,
    #[diesel(sql_type = Array<Text>)]
    tenant_columns: Vec<String>,
}

/// The tables declared shared: none is a tenant table under another name.
#[allow(clippy::disallowed_methods)]
fn check_shared_tables(
    conn: &mut PgConnection,
    rls: &RlsMigrations,
    problems: &mut Vec<IsolationProblem>,
) -> Result<(), IsolationError> {
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
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relname = $1 AND c.relkind IN ('r', 'p') AND n.nspname = ANY(current_schemas(false)) \
             LIMIT 1",
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

#[allow(clippy::disallowed_methods)]
fn check_table(
    conn: &mut PgConnection,
    table: &RlsTable,
    setting: &str,
    problems: &mut Vec<IsolationProblem>,
) -> Result<(), IsolationError> {
    let name = table.table().to_owned();
    let state: Option<TableState> = diesel::sql_query(
        "SELECT c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced, \
                pg_has_role(current_user, c.relowner, 'MEMBER') AS owned \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relname = $1 AND c.relkind IN ('r', 'p') AND n.nspname = ANY(current_schemas(false)) \
         LIMIT 1",
    )
    .bind::<Text, _>(&name)
    .get_result(conn)
    .optional()?;
    let Some(state) = state else {
        problems.push(IsolationProblem::MissingTable(name));
        return Ok(());
    };
    if state.owned {
        problems.push(IsolationProblem::OwnsTable(name.clone()));
    }
    if !state.enabled {
        problems.push(IsolationProblem::RlsDisabled(name.clone()));
    }
    if !state.forced {
        problems.push(IsolationProblem::RlsNotForced(name.clone()));
    }
    // pg_policies shows expressions as PostgreSQL prints them, for example
    // `(tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::bigint)`.
    let policies: Vec<Policy> = diesel::sql_query(
        "SELECT policyname::text AS name, permissive = 'PERMISSIVE' AS permissive, \
                COALESCE(qual LIKE '%' || $2 || '%current_setting(''' || $3 || '''%', false) AS checks_tenant, \
                cmd = 'ALL' AND COALESCE(with_check LIKE '%' || $2 || '%current_setting(''' || $3 || '''%', false) AS covers_writes \
         FROM pg_policies WHERE tablename = $1 AND schemaname = ANY(current_schemas(false))",
    )
    .bind::<Text, _>(&name)
    .bind::<Text, _>(table.tenant_column())
    .bind::<Text, _>(setting)
    .load(conn)?;
    if !policies.iter().any(|p| p.checks_tenant && p.covers_writes) {
        problems.push(IsolationProblem::MissingPolicy(name.clone()));
    }
    for policy in policies.iter().filter(|p| p.permissive && !p.checks_tenant) {
        problems.push(IsolationProblem::PermissivePolicy {
            table: name.clone(),
            policy: policy.name.clone(),
        });
    }
    Ok(())
}
