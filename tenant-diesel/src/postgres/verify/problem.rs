//! What [`verify_isolation`](super::verify_isolation) reports: one variant per way
//! the database wall can fail, each printed with the statement that fixes it.
//!
//! Names in the variants are as SQL spells them (quoted where needed, a table
//! schema-qualified when it is not on the search path), so that the printed fix
//! can be pasted as it is.

use std::fmt;

/// One way the database wall would not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IsolationProblem {
    /// Superusers bypass row-level security.
    Superuser,
    /// `BYPASSRLS` roles bypass row-level security.
    BypassRls,
    /// `CREATEROLE` lets the role grant itself membership in the tables' owner
    /// (or make a role that does), and an owner of a table not forced under
    /// row-level security bypasses it.
    CreateRole {
        /// The application's role.
        role: String,
    },
    /// The role can `SET ROLE` to a role that bypasses row-level security or
    /// reads the server's files, whether or not it inherits its rights.
    MemberOfPrivilegedRole {
        /// The privileged role.
        role: String,
        /// What makes it privileged: `SUPERUSER`, `BYPASSRLS`, `CREATEROLE`, or
        /// the name of a predefined role that reads or writes the server's files
        /// or runs its programs.
        attribute: String,
        /// The chain of grants, from the application's role to `role`.
        path: Vec<String>,
    },
    /// The role may create objects in a schema every unit of work searches
    /// (`TenantSetting::search_path`): one named like a tenant table would be
    /// read in its place, as a temporary view would.
    CreateOnSearchPath {
        /// The schema, quoted.
        schema: String,
    },
    /// The role may create temporary objects: a temporary table or view shadows
    /// a table of the same name for the rest of the session, which a pool hands
    /// to the next request.
    TemporaryObjects {
        /// The database.
        database: String,
        /// Who holds `TEMPORARY` for the role (`PUBLIC`, the role, or a role it
        /// is a member of).
        grantees: Vec<String>,
    },
    /// A table's owner bypasses its policies unless they are forced; owning a
    /// tenant table also lets the role drop them.
    OwnsTable(String),
    /// The table does not exist in the search path.
    MissingTable(String),
    /// The tenant table has no column of the declared tenant column's name.
    MissingTenantColumn {
        /// The table.
        table: String,
        /// The declared tenant column.
        column: String,
    },
    /// `ENABLE ROW LEVEL SECURITY` was not run.
    RlsDisabled(String),
    /// `FORCE ROW LEVEL SECURITY` was not run.
    RlsNotForced(String),
    /// No policy compares the tenant column with the tenant exactly as the
    /// generated policy does.
    MissingPolicy(String),
    /// The policy under the generated name is not the generated one (its
    /// expressions, command, or kind differ): a policy such as
    /// `tenant_id = COALESCE(.., tenant_id)` fails open.
    AlteredTenantPolicy {
        /// The table.
        table: String,
        /// The policy.
        policy: String,
        /// The generated expression, as PostgreSQL prints it.
        expected: String,
    },
    /// A permissive policy other than the tenant policy: permissive policies
    /// are OR-ed, so it opens the table to every tenant.
    PermissivePolicy {
        /// The table.
        table: String,
        /// The policy.
        policy: String,
    },
    /// A unit of work opened as the library opens one, with the key of the
    /// migrations' setting, does not reach the policies with its tenant: the
    /// database holds another key (or none), or its clock is past the expiry.
    /// Every tenant would read nothing.
    SignedTenantRefused,
    /// The batch that opens a unit of work fails (the wall's functions are
    /// missing, for example): every unit of work would fail the same way.
    WallOpeningFailed(String),
    /// On Citus, a unit of work does not forward its `SET LOCAL`s to the
    /// workers (`citus.propagate_set_commands` is not Citus's own setting at
    /// `local` inside it): the shards' policies see no tenant, and every tenant
    /// would read nothing from a distributed table.
    CitusSettingNotForwarded {
        /// The `citus` extension's version.
        version: String,
        /// What the setting was inside the unit of work.
        found: String,
    },
    /// The policies trust a plain setting that the application's role can set
    /// itself (`SELECT set_config('app.tenant_id', '2', true)` reads tenant 2).
    UnsignedTenant {
        /// The setting the policies read.
        setting: String,
    },
    /// A partition or inheritance child of a tenant table that the role can
    /// name directly, without its own row-level security: a child's settings
    /// and policies are its own, not its parent's.
    ChildTableWithoutWall {
        /// The tenant table it descends from.
        table: String,
        /// The child.
        child: String,
        /// Whether row-level security is enabled on it.
        rls_enabled: bool,
        /// Whether row-level security is forced on it.
        rls_forced: bool,
        /// Whether it has the tenant policy.
        tenant_policy: bool,
        /// Who holds a privilege on it for the role.
        grantees: Vec<String>,
    },
    /// A privilege on a tenant table that row-level security does not govern:
    /// `TRUNCATE` empties every tenant's rows, `TRIGGER` taps every tenant's
    /// writes, `REFERENCES` lets a key of the role's probe every tenant's keys.
    ExtraPrivilege {
        /// The table.
        table: String,
        /// `TRUNCATE`, `TRIGGER` or `REFERENCES`.
        privilege: String,
        /// Who holds it for the role (`PUBLIC`, the role, or a role it is a
        /// member of).
        grantees: Vec<String>,
    },
    /// A unique key, primary key or exclusion constraint that does not lead with
    /// the tenant column: inserting a value tells whether another tenant has it.
    UniqueKeyWithoutTenant {
        /// The table.
        table: String,
        /// The index behind the key.
        index: String,
        /// The constraint, when the key is one.
        constraint: Option<String>,
        /// The key as PostgreSQL prints it (`PRIMARY KEY (id)`, or the index's
        /// `CREATE UNIQUE INDEX` when no constraint owns it).
        definition: String,
        /// The tenant column.
        tenant_column: String,
    },
    /// An index whose leading column is not the tenant column and whose
    /// operators are leakproof: the planner may scan it before the policy
    /// removes other tenants' rows, and `EXPLAIN ANALYZE` or the statistics
    /// views count them.
    IndexWithoutTenant {
        /// The table.
        table: String,
        /// The index.
        index: String,
        /// The index as PostgreSQL prints it.
        definition: String,
        /// The tenant column.
        tenant_column: String,
    },
    /// A foreign key between tenant tables that does not pair the two tenant
    /// columns: referential checks bypass row-level security, so it accepts a
    /// reference to another tenant's row.
    ForeignKeyWithoutTenant {
        /// The referencing table.
        table: String,
        /// The constraint.
        constraint: String,
        /// The referenced table.
        references: String,
        /// The referencing columns, in order.
        columns: Vec<String>,
        /// The referenced columns, in order.
        referenced_columns: Vec<String>,
        /// The referencing table's tenant column.
        tenant_column: String,
        /// The referenced table's tenant column.
        referenced_tenant_column: String,
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
    /// A table declared shared has a foreign key to a tenant table: each of its
    /// rows belongs to the tenant of the row it references (`team_members`
    /// through `teams`), and declared shared it reads every tenant's.
    SharedTableReferencesATenantTable {
        /// The table.
        table: String,
        /// The tenant table it references.
        parent: String,
        /// The foreign key's columns, quoted and comma-separated.
        foreign_key: String,
    },
    /// A table reached through its parent is declared, but its parent is not:
    /// its policy lets through the rows whose parent the parent's policies
    /// let through, and an undeclared parent may have none.
    ThroughParentNotDeclared {
        /// The table reached through its parent.
        table: String,
        /// The parent.
        parent: String,
    },
    /// A view over a tenant table runs with its owner's rights unless it is
    /// `security_invoker`, and so bypasses the policies.
    ViewWithoutSecurityInvoker {
        /// The view.
        view: String,
        /// The tenant table it reads.
        table: String,
    },
    /// A materialized view over a tenant table that the role can read: it holds
    /// a copy of every tenant's rows, and row-level security does not apply to
    /// materialized views.
    MaterializedView {
        /// The materialized view.
        view: String,
        /// The tenant table it reads.
        table: String,
        /// Who holds `SELECT` on it for the role.
        grantees: Vec<String>,
    },
    /// A rule on a tenant table, or one whose action touches a tenant table: a
    /// rule's action runs with the rights of its table's owner.
    RewriteRule {
        /// The table the rule is on.
        table: String,
        /// The rule.
        rule: String,
    },
    /// A `SECURITY DEFINER` function the role can execute, owned by a role that
    /// bypasses row-level security on the tenant tables (a superuser, a
    /// `BYPASSRLS` role, or an owner of a tenant table).
    DefinerFunction {
        /// The function, with its argument types.
        function: String,
        /// Its owner.
        owner: String,
        /// Who holds `EXECUTE` on it for the role.
        grantees: Vec<String>,
    },
    /// A trigger on a tenant table whose function is `SECURITY DEFINER` and owned
    /// by a role that bypasses row-level security: it sees every tenant's writes
    /// with that role's rights, whoever writes.
    DefinerTrigger {
        /// The table.
        table: String,
        /// The trigger.
        trigger: String,
        /// The function, with its argument types.
        function: String,
        /// Its owner.
        owner: String,
    },
    /// One of the library's wall functions is not as the library generates it.
    WallFunctionAltered {
        /// The function (with its argument types, when it exists).
        function: String,
        /// What is wrong with it.
        fault: WallFunctionFault,
    },
    /// The role has a privilege on the signing key's table (or owns it): with
    /// the key it can sign any tenant.
    SigningKeyExposed {
        /// The key's table.
        table: String,
        /// Who holds a privilege on it for the role.
        grantees: Vec<String>,
    },
    /// A declared tenant lookup (`RlsMigrations::directory_lookup`,
    /// `membership_lookup`) is not as the library generates it: it runs as its
    /// owner, around the policies, and the role can call it, so another body
    /// (or another search path) can return any tenant's rows.
    LookupFunctionAltered {
        /// The function, with its argument types.
        function: String,
        /// What is wrong with it.
        fault: WallFunctionFault,
    },
}

/// How a wall function differs from the generated one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WallFunctionFault {
    /// It does not exist.
    Missing,
    /// Its body is not the generated body.
    Body,
    /// Its settings are not exactly `search_path = pg_catalog, pg_temp`: objects
    /// of the caller's could resolve inside it, or another setting changes what
    /// it does.
    SearchPath,
    /// The application's role owns it (or is a member of its owner), so it can
    /// replace it.
    OwnedByRole,
}

impl fmt::Display for WallFunctionFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Missing => "it does not exist",
            Self::Body => "its body is not the generated one",
            Self::SearchPath => "its settings are not exactly `search_path = pg_catalog, pg_temp`",
            Self::OwnedByRole => {
                "the role owns it (or is a member of its owner) and can replace it"
            }
        })
    }
}

/// `columns` joined with `, `.
fn joined(columns: &[String]) -> String {
    columns.join(", ")
}

/// `definition` with `column` put first in its column list: the list is the
/// first parenthesis of a constraint (`PRIMARY KEY (id)`) and the first one
/// after `USING <method>` of an index.
fn tenant_first(definition: &str, column: &str) -> String {
    let from = definition.find(" USING ").unwrap_or(0);
    match definition[from..].find('(') {
        Some(at) => {
            let at = from + at + 1;
            format!("{}{column}, {}", &definition[..at], &definition[at..])
        }
        None => definition.to_owned(),
    }
}

/// The columns of a foreign key that pairs the tenant columns: the two tenant
/// columns first, then the other columns of each side, in their order.
fn same_tenant_key(
    columns: &[String],
    referenced: &[String],
    tenant: &str,
    referenced_tenant: &str,
) -> (String, String) {
    let from =
        std::iter::once(tenant).chain(columns.iter().map(String::as_str).filter(|c| *c != tenant));
    let to = std::iter::once(referenced_tenant).chain(
        referenced
            .iter()
            .map(String::as_str)
            .filter(|c| *c != referenced_tenant),
    );
    (
        from.collect::<Vec<_>>().join(", "),
        to.collect::<Vec<_>>().join(", "),
    )
}

impl fmt::Display for IsolationProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Superuser => f.write_str("the role is a superuser, which bypasses row-level security: connect as a role made with NOSUPERUSER"),
            Self::BypassRls => f.write_str("the role has BYPASSRLS: ALTER ROLE .. NOBYPASSRLS, or connect as another role"),
            Self::CreateRole { role } => write!(f, "the role has CREATEROLE, so it can make itself a member of the tables' owner: ALTER ROLE {role} NOCREATEROLE"),
            Self::MemberOfPrivilegedRole { role, attribute, path } => {
                let (member, granted) = match path.as_slice() {
                    [member, granted, ..] => (member.as_str(), granted.as_str()),
                    _ => ("<the role>", role.as_str()),
                };
                write!(f, "the role can SET ROLE to `{role}` ({attribute}) through {}: REVOKE {granted} FROM {member}", path.join(" -> "))
            }
            Self::CreateOnSearchPath { schema } => write!(f, "the role may create objects in schema {schema}, which every unit of work searches: an object named like a tenant table would be read in its place; REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC (and from the role)"),
            Self::TemporaryObjects { database, grantees } => write!(f, "the role may create temporary objects in `{database}`, which shadow tables for the rest of a pooled session: REVOKE TEMPORARY ON DATABASE {database} FROM {}", joined(grantees)),
            Self::OwnsTable(t) => write!(f, "the role owns tenant table `{t}`: let a migration role own it and GRANT the application role what it needs"),
            Self::MissingTable(t) => write!(f, "tenant table `{t}` does not exist in the search path"),
            Self::MissingTenantColumn { table, column } => write!(f, "tenant table `{table}` has no tenant column `{column}`: fix the model's declaration or the table"),
            Self::RlsDisabled(t) => write!(f, "row-level security is not enabled on `{t}`: ALTER TABLE {t} ENABLE ROW LEVEL SECURITY"),
            Self::RlsNotForced(t) => write!(f, "row-level security is not forced on `{t}`: ALTER TABLE {t} FORCE ROW LEVEL SECURITY"),
            Self::MissingPolicy(t) => write!(f, "`{t}` has no policy comparing its tenant column with the tenant (USING and WITH CHECK): run the generated RLS migration"),
            Self::AlteredTenantPolicy { table, policy, expected } => write!(f, "policy `{policy}` on `{table}` is not the generated one (a changed expression can fail open): DROP POLICY {policy} ON {table}; CREATE POLICY {policy} ON {table} USING {expected} WITH CHECK {expected}"),
            Self::PermissivePolicy { table, policy } => write!(f, "permissive policy `{policy}` on `{table}` is not the tenant policy, and permissive policies are OR-ed: DROP POLICY {policy} ON {table}, or recreate it AS RESTRICTIVE"),
            Self::SignedTenantRefused => f.write_str("a tenant signed with the application's key does not reach the policies (tenant_wall.current_tenant() returns NULL), so every tenant would read nothing: install the application's key as the owner with `WallKey::install`, and check that the database's clock agrees with the application's within the setting's lifetime"),
            Self::WallOpeningFailed(error) => write!(f, "the batch that opens every unit of work fails ({error}): run the generated RLS migration, which creates the `tenant_wall` functions"),
            Self::CitusSettingNotForwarded { version, found } => write!(f, "on Citus {version}, a unit of work does not forward the tenant to the workers: inside it `citus.propagate_set_commands` is {found}, so the shards' policies see no tenant and every tenant would read nothing from a distributed table: use a Citus with `citus.propagate_set_commands` (the library sets it to `local` in each unit of work), and do not open units of work with a batch of your own"),
            Self::UnsignedTenant { setting } => write!(f, "the policies trust the setting `{setting}`, which the application's role can set itself (SELECT set_config('{setting}', '2', true) reads tenant 2): generate the policies in the signed mode (drop `RlsMigrations::unsigned_tenant`) and sign the setting with a `WallKey`"),
            Self::ChildTableWithoutWall { table, child, rls_enabled, rls_forced, tenant_policy, grantees } => {
                write!(f, "`{child}` is a partition or child of tenant table `{table}` that the role can name directly, and its row-level security is its own:")?;
                if !rls_enabled {
                    write!(f, " ALTER TABLE {child} ENABLE ROW LEVEL SECURITY;")?;
                }
                if !rls_forced {
                    write!(f, " ALTER TABLE {child} FORCE ROW LEVEL SECURITY;")?;
                }
                if !tenant_policy {
                    f.write_str(" create the tenant policy on it (`RlsMigrations::descendants_sql`);")?;
                }
                write!(f, " or take the role's access to it away: REVOKE ALL ON {child} FROM {}", joined(grantees))
            }
            Self::ExtraPrivilege { table, privilege, grantees } => {
                let why = match privilege.as_str() {
                    "TRUNCATE" => "TRUNCATE empties every tenant's rows, and row-level security does not apply to it",
                    "TRIGGER" => "a trigger of the role's would see every tenant's writes",
                    "REFERENCES" => "a foreign key of the role's probes every tenant's keys, and referential checks bypass row-level security",
                    _ => "row-level security does not govern it",
                };
                write!(f, "the role holds {privilege} on tenant table `{table}` ({why}): REVOKE {privilege} ON {table} FROM {}", joined(grantees))
            }
            Self::UniqueKeyWithoutTenant { table, index, constraint, definition, tenant_column } => {
                let fixed = tenant_first(definition, tenant_column);
                write!(f, "unique key `{definition}` on tenant table `{table}` does not lead with `{tenant_column}`, so an insert tells whether another tenant holds a value: ")?;
                match constraint {
                    Some(constraint) => write!(f, "ALTER TABLE {table} DROP CONSTRAINT {constraint}, ADD CONSTRAINT {constraint} {fixed}"),
                    None => write!(f, "DROP INDEX {index}; {fixed}"),
                }
            }
            Self::IndexWithoutTenant { table, index, definition, tenant_column } => write!(f, "index `{index}` on tenant table `{table}` does not lead with `{tenant_column}`, so a scan of it counts other tenants' rows before the policy removes them (EXPLAIN ANALYZE, pg_stat): DROP INDEX {index}; {}", tenant_first(definition, tenant_column)),
            Self::ForeignKeyWithoutTenant { table, constraint, references, columns, referenced_columns, tenant_column, referenced_tenant_column } => {
                let (from, to) = same_tenant_key(columns, referenced_columns, tenant_column, referenced_tenant_column);
                write!(f, "foreign key `{constraint}` from `{table}` ({}) to `{references}` ({}) does not pair the tenant columns, and referential checks bypass row-level security, so it accepts another tenant's row: ALTER TABLE {table} DROP CONSTRAINT {constraint}, ADD CONSTRAINT {constraint} FOREIGN KEY ({from}) REFERENCES {references} ({to}) (the referenced columns need a unique key)", joined(columns), joined(referenced_columns))
            }
            Self::SharedTableIsATenantTable(t) => write!(f, "`{t}` is declared shared (global_table!) but is a tenant table (declared tenant-scoped, or under row-level security): a second `table!` of it declared global reads every tenant's rows; query it through its model"),
            Self::SharedTableWithTenantColumn { table, column } => write!(f, "shared table `{table}` has a tenant column `{column}`: a table that says which tenant owns each row is a tenant table; derive TenantScoped on its model, or mark the column `#[not_a_tenant_column]` and rename it in the database"),
            Self::ThroughParentNotDeclared { table, parent } => write!(f, "`{table}` reaches its tenant through `{parent}`, which is not declared: its policy lets a row through when `{parent}` shows its parent, so put `{parent}` behind the wall too (`RlsMigrations::tenant_table::<{parent}::table>()`, or `through_table` when it has a parent of its own)"),
            Self::SharedTableReferencesATenantTable { table, parent, foreign_key } => write!(f, "shared table `{table}` references tenant table `{parent}` ({foreign_key}): each of its rows belongs to the tenant of the row it references, and declared shared (global_table!) it reads every tenant's; give it its own tenant column (ALTER TABLE {table} ADD COLUMN tenant_id .., filled from `{parent}`, then SET NOT NULL and a same-tenant reference), derive TenantScoped on its model, and read it across tenants only through an audited AdminConn"),
            Self::ViewWithoutSecurityInvoker { view, table } => write!(f, "view `{view}` reads tenant table `{table}` with its owner's rights: ALTER VIEW {view} SET (security_invoker = true)"),
            Self::MaterializedView { view, table, grantees } => write!(f, "materialized view `{view}` holds every tenant's rows of `{table}` and the role can read it (row-level security does not apply to materialized views): REVOKE SELECT ON {view} FROM {}, or DROP MATERIALIZED VIEW {view}", joined(grantees)),
            Self::RewriteRule { table, rule } => write!(f, "rule `{rule}` on `{table}` touches a tenant table with the rights of `{table}`'s owner: DROP RULE {rule} ON {table}"),
            Self::DefinerFunction { function, owner, grantees } => write!(f, "SECURITY DEFINER function `{function}` runs as `{owner}`, which bypasses row-level security on the tenant tables, and the role can execute it: ALTER FUNCTION {function} SECURITY INVOKER, or REVOKE EXECUTE ON FUNCTION {function} FROM {}", joined(grantees)),
            Self::DefinerTrigger { table, trigger, function, owner } => write!(f, "trigger `{trigger}` on tenant table `{table}` runs SECURITY DEFINER function `{function}` as `{owner}`, which bypasses row-level security, on every tenant's writes: ALTER FUNCTION {function} SECURITY INVOKER, or DROP TRIGGER {trigger} ON {table}"),
            Self::WallFunctionAltered { function, fault } => write!(f, "the wall function `{function}` is not as the library generates it ({fault}), and the policies trust it: run the generated RLS migration again as the tables' owner (it replaces the function), and keep the application's role out of its owner"),
            Self::SigningKeyExposed { table, grantees } => write!(f, "the role can reach the signing key's table `{table}`, and with the key it can sign any tenant: REVOKE ALL ON {table} FROM {}", joined(grantees)),
            Self::LookupFunctionAltered { function, fault } => write!(f, "the tenant lookup `{function}` is not as the library generates it ({fault}; it must have the generated body and `SET search_path = pg_catalog, pg_temp`), and it reads around the policies for the role: run the generated RLS migration again as the tables' owner (it replaces the function), and keep the application's role out of its owner"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tenant_column_goes_first_in_a_key_or_an_index() {
        assert_eq!(
            tenant_first("PRIMARY KEY (id)", "tenant_id"),
            "PRIMARY KEY (tenant_id, id)"
        );
        assert_eq!(
            tenant_first(
                "CREATE UNIQUE INDEX e ON public.users USING btree (lower(email)) WHERE (active)",
                "tenant_id"
            ),
            "CREATE UNIQUE INDEX e ON public.users USING btree (tenant_id, lower(email)) WHERE (active)"
        );
    }

    #[test]
    fn a_foreign_key_fix_pairs_the_tenant_columns_first() {
        let names = |list: &[&str]| list.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            same_tenant_key(
                &names(&["account_id"]),
                &names(&["id"]),
                "tenant_id",
                "tenant_id"
            ),
            (
                "tenant_id, account_id".to_owned(),
                "tenant_id, id".to_owned()
            )
        );
        // Crossed: the tenant columns are there but not paired with each other.
        assert_eq!(
            same_tenant_key(
                &names(&["note_id", "tenant_id"]),
                &names(&["tenant_id", "id"]),
                "tenant_id",
                "tenant_id"
            ),
            ("tenant_id, note_id".to_owned(), "tenant_id, id".to_owned())
        );
    }
}
