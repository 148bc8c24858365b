//! The two lookups that run before a tenant is known, generated so that they
//! work as the application's role behind row-level security: finding a tenant
//! by its slug (resolution) and asking whether an actor is a member of a tenant
//! (authorization).
//!
//! When the tenants table itself (`organizations`, whose `id` is the tenant id)
//! and the memberships table are tenant tables, their policies show the
//! application's role nothing until a tenant is set, and no tenant is set yet:
//! that is the question being asked. The usual way out is a second pool of a
//! role that bypasses the policies, which every handler can then reach. Instead
//! the migration generates two narrow `SECURITY DEFINER` functions in schema
//! `tenant_wall`, each returning the answer to exactly one question and nothing
//! else, and grants the application's role `EXECUTE` on them only:
//!
//! - `tenant_wall.find_tenant(slug text)`: the id, slug, name and plan of the
//!   row whose slug is exactly `slug` (no pattern, no case folding, nothing for
//!   `NULL`);
//! - `tenant_wall.is_member(tenant, actor text)`: whether a membership row
//!   holds exactly that tenant and that actor.
//!
//! Each runs as its owner, the migration's role, with `search_path` pinned to
//! `pg_catalog, pg_temp` and its table named by schema, so nothing the caller
//! creates resolves inside it. Under `FORCE ROW LEVEL SECURITY` the owner is
//! walled too, so the migration adds one policy per lookup table, `FOR SELECT`
//! and only for that role (`TO CURRENT_USER`): the owner, who could turn the
//! policies off anyway, reads the rows; the application's role gains nothing
//! from it. `verify_isolation` accepts a declared lookup only exactly as
//! generated.

use std::marker::PhantomData;

use diesel::expression::Expression;
use diesel::Column;

use super::RlsMigrations;
use crate::references::quoted;
use crate::table::{TenantColumnSql, TenantColumnType, TenantTable};
use tenant_core::TenantIdValue;

/// The directory's function, as the application calls it.
pub(super) const FIND_TENANT: &str = "tenant_wall.find_tenant";
/// The membership check's function, as the application calls it.
pub(super) const IS_MEMBER: &str = "tenant_wall.is_member";

/// The tenants table, for the function that finds a tenant by its slug during
/// resolution: its columns for the id, slug, name and plan (named `id`,
/// `slug`, `name` and `plan` unless said otherwise, as `tenants_directory!`
/// names them), and the id's type `V`.
///
/// ```
/// # #[cfg(feature = "postgres")] {
/// use tenant_diesel::postgres::{DirectoryLookup, RlsMigrations};
///
/// let rls = RlsMigrations::new("20240101000002")
///     .directory_lookup(DirectoryLookup::new("organizations").slug_column("handle"))
///     .grant_to("app");
/// let sql = rls.up_sql();
/// assert!(sql.contains("FROM \"public\".\"organizations\" AS t WHERE t.\"handle\" = $1"));
/// assert!(sql.contains("GRANT EXECUTE ON FUNCTION tenant_wall.find_tenant(text) TO \"app\""));
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryLookup<V = i64> {
    spec: DirectorySpec,
    id: PhantomData<fn() -> V>,
}

/// What the directory's function reads, without the id's Rust type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct DirectorySpec {
    table: TableName,
    id: String,
    slug: String,
    name: String,
    plan: String,
    id_sql: TenantColumnSql,
}

impl DirectoryLookup<i64> {
    /// The table `table` of schema `public`, its `bigint` ids in column `id`.
    pub fn new(table: &str) -> Self {
        Self {
            spec: DirectorySpec {
                table: TableName::public(table),
                id: "id".to_owned(),
                slug: "slug".to_owned(),
                name: "name".to_owned(),
                plan: "plan".to_owned(),
                id_sql: TenantColumnSql::BigInt,
            },
            id: PhantomData,
        }
    }

    /// The tenant table itself, from its model's declaration: a model that
    /// derives `TenantScoped` with `#[tenant(column = id)]`, so its tenant
    /// column is the tenants' id. The id's name and type come from
    /// `schema.rs`, so the function returns what the application reads.
    pub fn of<T: TenantTable>() -> DirectoryLookup<T::Id> {
        let lookup = DirectoryLookup::new(T::TABLE_NAME)
            .id_column(<T::TenantColumn as Column>::NAME)
            .spec;
        DirectoryLookup {
            spec: DirectorySpec {
                id_sql: <<T::TenantColumn as Expression>::SqlType as TenantColumnType>::SQL,
                ..lookup
            },
            id: PhantomData,
        }
    }
}

impl<V: TenantIdValue> DirectoryLookup<V> {
    /// The same table in schema `schema`: the function names its table by
    /// schema, since its own search path holds only `pg_catalog`.
    pub fn schema(mut self, schema: &str) -> Self {
        self.spec.table.schema = schema.to_owned();
        self
    }

    /// The column that holds the tenant's id.
    pub fn id_column(mut self, column: &str) -> Self {
        self.spec.id = column.to_owned();
        self
    }

    /// The ids of SQL type `ST` (`diesel::sql_types::Integer`, `Uuid`, or
    /// `Text` holding UUIDs), read as `ST`'s tenant ids.
    pub fn id_type<ST: TenantColumnType>(self) -> DirectoryLookup<ST::Id> {
        DirectoryLookup {
            spec: DirectorySpec {
                id_sql: ST::SQL,
                ..self.spec
            },
            id: PhantomData,
        }
    }

    /// The column that holds the slug the tenant is found by.
    pub fn slug_column(mut self, column: &str) -> Self {
        self.spec.slug = column.to_owned();
        self
    }

    /// The column that holds the tenant's display name.
    pub fn name_column(mut self, column: &str) -> Self {
        self.spec.name = column.to_owned();
        self
    }

    /// The column that holds the tenant's plan.
    pub fn plan_column(mut self, column: &str) -> Self {
        self.spec.plan = column.to_owned();
        self
    }

    /// The statements that create `tenant_wall.find_tenant(slug text)` (after
    /// the wall's schema exists), its table's lookup policy, and the grant of
    /// `EXECUTE` to `grant_to` alone: for a migration file of your own.
    /// [`RlsMigrations::directory_lookup`] sends the same.
    pub fn up_statements(&self, grant_to: Option<&str>) -> Vec<String> {
        Lookup::Directory(self.spec.clone()).up(grant_to)
    }

    /// The statements that undo [`up_statements`](Self::up_statements).
    pub fn down_statements(&self) -> Vec<String> {
        Lookup::Directory(self.spec.clone()).down()
    }
}

/// The memberships table, for the function that tells whether an actor is a
/// member of a tenant during authorization: its tenant column (of type `V`'s)
/// and the column that holds the actor's id, compared as text with
/// [`ActorId`](crate::ActorId) (`42` is not `042`).
///
/// ```
/// # #[cfg(feature = "postgres")] {
/// use tenant_diesel::postgres::MembershipLookup;
///
/// let sql = MembershipLookup::new("memberships", "tenant_id", "user_id").up_statements(None);
/// assert!(sql.iter().any(|s| s.contains("tenant_wall.is_member(tenant bigint, actor text)")));
/// assert!(sql.iter().any(|s| s == "REVOKE ALL ON FUNCTION tenant_wall.is_member(bigint, text) FROM PUBLIC"));
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipLookup<V = i64> {
    spec: MembershipSpec,
    id: PhantomData<fn() -> V>,
}

/// What the membership function reads, without the id's Rust type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct MembershipSpec {
    table: TableName,
    tenant: String,
    actor: String,
    tenant_sql: TenantColumnSql,
}

impl MembershipLookup<i64> {
    /// The table `table` of schema `public`, its `bigint` tenant ids in
    /// `tenant_column` and its actors in `actor_column`.
    pub fn new(table: &str, tenant_column: &str, actor_column: &str) -> Self {
        Self {
            spec: MembershipSpec {
                table: TableName::public(table),
                tenant: tenant_column.to_owned(),
                actor: actor_column.to_owned(),
                tenant_sql: TenantColumnSql::BigInt,
            },
            id: PhantomData,
        }
    }

    /// The memberships table from its model's declaration (a model that
    /// derives `TenantScoped`): its tenant column's name and type from
    /// `schema.rs`, its actors in `actor_column`.
    pub fn of<T: TenantTable>(actor_column: &str) -> MembershipLookup<T::Id> {
        let lookup = MembershipLookup::new(
            T::TABLE_NAME,
            <T::TenantColumn as Column>::NAME,
            actor_column,
        )
        .spec;
        MembershipLookup {
            spec: MembershipSpec {
                tenant_sql: <<T::TenantColumn as Expression>::SqlType as TenantColumnType>::SQL,
                ..lookup
            },
            id: PhantomData,
        }
    }
}

impl<V: TenantIdValue> MembershipLookup<V> {
    /// The same table in schema `schema` (see [`DirectoryLookup::schema`]).
    pub fn schema(mut self, schema: &str) -> Self {
        self.spec.table.schema = schema.to_owned();
        self
    }

    /// Tenant ids of SQL type `ST` (`diesel::sql_types::Integer`, `Uuid`, or
    /// `Text` holding UUIDs), checked for `ST`'s tenant ids.
    pub fn tenant_type<ST: TenantColumnType>(self) -> MembershipLookup<ST::Id> {
        MembershipLookup {
            spec: MembershipSpec {
                tenant_sql: ST::SQL,
                ..self.spec
            },
            id: PhantomData,
        }
    }

    /// The tenant column's SQL type, which the call casts its tenant to.
    #[cfg(feature = "r2d2")]
    pub(super) fn tenant_sql(&self) -> TenantColumnSql {
        self.spec.tenant_sql
    }

    /// The statements that create `tenant_wall.is_member(tenant, actor text)`,
    /// its table's lookup policy, and the grant of `EXECUTE` to `grant_to`
    /// alone. [`RlsMigrations::membership_lookup`] sends the same.
    pub fn up_statements(&self, grant_to: Option<&str>) -> Vec<String> {
        Lookup::Membership(self.spec.clone()).up(grant_to)
    }

    /// The statements that undo [`up_statements`](Self::up_statements).
    pub fn down_statements(&self) -> Vec<String> {
        Lookup::Membership(self.spec.clone()).down()
    }
}

impl RlsMigrations {
    /// Generates `tenant_wall.find_tenant(slug text)` over `lookup`'s table, so
    /// that resolution finds a tenant as the application's role while the
    /// tenants table is behind row-level security; the role named by
    /// [`grant_to`](Self::grant_to) may execute it, no other. A second call
    /// replaces the first (the function has one name).
    pub fn directory_lookup<V: TenantIdValue>(mut self, lookup: DirectoryLookup<V>) -> Self {
        self.lookups.retain(|l| !matches!(l, Lookup::Directory(_)));
        self.lookups.push(Lookup::Directory(lookup.spec));
        self
    }

    /// Generates `tenant_wall.is_member(tenant, actor text)` over `lookup`'s
    /// table, so that authorization asks as the application's role while the
    /// memberships table is behind row-level security; the role named by
    /// [`grant_to`](Self::grant_to) may execute it, no other. A second call
    /// replaces the first.
    pub fn membership_lookup<V: TenantIdValue>(mut self, lookup: MembershipLookup<V>) -> Self {
        self.lookups.retain(|l| !matches!(l, Lookup::Membership(_)));
        self.lookups.push(Lookup::Membership(lookup.spec));
        self
    }
}

/// A schema-qualified table.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TableName {
    schema: String,
    table: String,
}

impl TableName {
    fn public(table: &str) -> Self {
        Self {
            schema: "public".to_owned(),
            table: table.to_owned(),
        }
    }

    /// `"schema"."table"`: the function's search path finds no table, so it
    /// names its own; nothing a caller creates can stand in for it.
    fn qualified(&self) -> String {
        format!("{}.{}", quoted(&self.schema), quoted(&self.table))
    }

    /// The policy that lets the function's owner read the table.
    fn policy(&self) -> String {
        quoted(&format!("{}_tenant_lookup", self.table))
    }
}

/// A declared lookup, as [`RlsMigrations`] keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Lookup {
    Directory(DirectorySpec),
    Membership(MembershipSpec),
}

/// A generated lookup function as `verify_isolation` checks it.
pub(super) struct GeneratedFunction {
    /// Its signature with its argument types qualified, for `to_regprocedure`
    /// (a temporary type cannot stand in for one).
    pub(super) signature: String,
    /// Its signature as a person reads it.
    pub(super) name: String,
    /// Its body, as `pg_proc.prosrc` holds it.
    pub(super) body: String,
}

/// A tenant column's type in a declaration, and qualified with `pg_catalog`
/// for statements that run under another search path.
pub(super) fn sql_type(column_sql: TenantColumnSql) -> (&'static str, &'static str) {
    match column_sql {
        TenantColumnSql::Integer => ("integer", "pg_catalog.int4"),
        TenantColumnSql::BigInt => ("bigint", "pg_catalog.int8"),
        TenantColumnSql::Uuid => ("uuid", "pg_catalog.uuid"),
        TenantColumnSql::UuidText => ("text", "pg_catalog.text"),
    }
}

impl Lookup {
    fn table(&self) -> &TableName {
        match self {
            Self::Directory(spec) => &spec.table,
            Self::Membership(spec) => &spec.table,
        }
    }

    /// The function's declared arguments, its argument types, and what it
    /// returns.
    fn declaration(&self) -> (&'static str, String, String, String) {
        match self {
            Self::Directory(spec) => (
                FIND_TENANT,
                "slug text".to_owned(),
                "text".to_owned(),
                format!(
                    "TABLE (id {}, slug text, name text, plan text)",
                    sql_type(spec.id_sql).0
                ),
            ),
            Self::Membership(spec) => {
                let tenant = sql_type(spec.tenant_sql).0;
                (
                    IS_MEMBER,
                    format!("tenant {tenant}, actor text"),
                    format!("{tenant}, text"),
                    "boolean".to_owned(),
                )
            }
        }
    }

    /// The body. Each text comparison is made twice: once as the column's own
    /// collation, which its index serves, and once as `"C"`, bytewise, so a
    /// case-insensitive (nondeterministic) collation cannot make `ACME` find
    /// `acme`'s row or `ALICE` count as `alice`. `= NULL` holds for no row.
    pub(super) fn body(&self) -> String {
        match self {
            Self::Directory(spec) => {
                let [id, slug, name, plan] = [&spec.id, &spec.slug, &spec.name, &spec.plan]
                    .map(|column| format!("t.{}", quoted(column)));
                format!(
                    "SELECT {id}, {slug}::text, {name}::text, {plan}::text FROM {} AS t \
                     WHERE {slug} = $1 AND {slug}::text COLLATE \"C\" = $1",
                    spec.table.qualified()
                )
            }
            Self::Membership(spec) => {
                let (tenant, actor) = (
                    format!("m.{}", quoted(&spec.tenant)),
                    format!("m.{}::text", quoted(&spec.actor)),
                );
                format!(
                    "SELECT EXISTS (SELECT FROM {} AS m \
                     WHERE {tenant} = $1 AND {actor} = $2 AND {actor} COLLATE \"C\" = $2)",
                    spec.table.qualified()
                )
            }
        }
    }

    /// The function's signature, as `GRANT` and `DROP` name it.
    fn signature(&self) -> String {
        let (name, _, types, _) = self.declaration();
        format!("{name}({types})")
    }

    fn up(&self, grantee: Option<&str>) -> Vec<String> {
        let (name, arguments, _, returns) = self.declaration();
        let signature = self.signature();
        let table = self.table();
        let mut statements = vec![
            // Without it the owner, walled by FORCE ROW LEVEL SECURITY, would
            // find nothing either; it names the owner alone, reading alone.
            format!(
                "CREATE POLICY {} ON {} AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (true)",
                table.policy(),
                table.qualified()
            ),
            format!(
                "CREATE OR REPLACE FUNCTION {name}({arguments}) RETURNS {returns}\n    \
                 LANGUAGE sql STABLE SECURITY DEFINER\n    \
                 SET search_path = pg_catalog, pg_temp\n    \
                 AS {}",
                dollar_quoted(&self.body())
            ),
            // Functions are executable by PUBLIC when created.
            format!("REVOKE ALL ON FUNCTION {signature} FROM PUBLIC"),
        ];
        statements.extend(
            grantee
                .map(|role| format!("GRANT EXECUTE ON FUNCTION {signature} TO {}", quoted(role))),
        );
        statements
    }

    fn down(&self) -> Vec<String> {
        let table = self.table();
        vec![
            format!("DROP FUNCTION IF EXISTS {}", self.signature()),
            format!(
                "DROP POLICY IF EXISTS {} ON {}",
                table.policy(),
                table.qualified()
            ),
        ]
    }

    fn generated(&self) -> GeneratedFunction {
        let (name, _, _, _) = self.declaration();
        let qualified = match self {
            Self::Directory(_) => "pg_catalog.text".to_owned(),
            Self::Membership(spec) => format!("{}, pg_catalog.text", sql_type(spec.tenant_sql).1),
        };
        GeneratedFunction {
            signature: format!("{name}({qualified})"),
            name: self.signature(),
            body: self.body(),
        }
    }
}

/// The statements of the declared lookups, after the tables' and the grants':
/// each function, with its grant to `grantee`. Two lookups over one table
/// share its policy.
pub(super) fn up_statements(lookups: &[Lookup], grantee: &Option<String>) -> Vec<String> {
    distinct(
        lookups
            .iter()
            .flat_map(|lookup| lookup.up(grantee.as_deref())),
    )
}

/// The statements that drop the declared lookups, before the wall's schema.
pub(super) fn down_statements(lookups: &[Lookup]) -> Vec<String> {
    distinct(lookups.iter().flat_map(Lookup::down))
}

/// The declared directory's table, schema-qualified and quoted, and its slug
/// column: an index on that column alone tells the application's role no more
/// than `find_tenant` answers it, so `verify_isolation` accepts one (a slug must
/// be unique, and a tenants table cannot lead a key with a tenant column).
pub(super) fn directory_slug(rls: &RlsMigrations) -> Option<(String, String)> {
    rls.lookups.iter().find_map(|lookup| match lookup {
        Lookup::Directory(spec) => Some((spec.table.qualified(), spec.slug.clone())),
        Lookup::Membership(_) => None,
    })
}

/// The declared lookups' functions, for `verify_isolation`.
pub(super) fn generated_functions(rls: &RlsMigrations) -> Vec<GeneratedFunction> {
    rls.lookups.iter().map(Lookup::generated).collect()
}

fn distinct(statements: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for statement in statements {
        if !out.contains(&statement) {
            out.push(statement);
        }
    }
    out
}

/// `body` dollar-quoted with a tag it does not contain: a column or table name
/// cannot end the function's body early. `pg_proc.prosrc` holds `body` as it
/// is.
fn dollar_quoted(body: &str) -> String {
    let tag = super::script::dollar_tag("lookup", body);
    format!("{tag}{body}{tag}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_directory_function_reads_one_slug_of_a_named_table_as_its_owner() {
        let up = DirectoryLookup::new("organizations").up_statements(Some("app"));
        assert_eq!(
            up[0],
            "CREATE POLICY \"organizations_tenant_lookup\" ON \"public\".\"organizations\" \
             AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (true)"
        );
        assert_eq!(
            up[1],
            "CREATE OR REPLACE FUNCTION tenant_wall.find_tenant(slug text) \
             RETURNS TABLE (id bigint, slug text, name text, plan text)\n    \
             LANGUAGE sql STABLE SECURITY DEFINER\n    \
             SET search_path = pg_catalog, pg_temp\n    \
             AS $lookup0$SELECT t.\"id\", t.\"slug\"::text, t.\"name\"::text, t.\"plan\"::text \
             FROM \"public\".\"organizations\" AS t \
             WHERE t.\"slug\" = $1 AND t.\"slug\"::text COLLATE \"C\" = $1$lookup0$"
        );
        assert_eq!(
            up[2..],
            [
                "REVOKE ALL ON FUNCTION tenant_wall.find_tenant(text) FROM PUBLIC",
                "GRANT EXECUTE ON FUNCTION tenant_wall.find_tenant(text) TO \"app\"",
            ]
        );
        assert!(!up.iter().any(|s| s.contains("LIKE")));
    }

    #[test]
    fn without_a_grantee_nobody_but_the_owner_may_call_it() {
        let up = MembershipLookup::new("memberships", "tenant_id", "user_id").up_statements(None);
        assert!(
            up.iter()
                .any(|s| s
                    == "REVOKE ALL ON FUNCTION tenant_wall.is_member(bigint, text) FROM PUBLIC")
        );
        assert!(!up.iter().any(|s| s.starts_with("GRANT")), "{up:?}");
    }

    #[test]
    fn the_membership_function_asks_for_exactly_one_pair() {
        let lookup = MembershipLookup::new("memberships", "tenant_id", "user_id")
            .schema("app")
            .tenant_type::<diesel::sql_types::Integer>();
        let body = Lookup::Membership(lookup.spec.clone()).body();
        assert_eq!(
            body,
            "SELECT EXISTS (SELECT FROM \"app\".\"memberships\" AS m \
             WHERE m.\"tenant_id\" = $1 AND m.\"user_id\"::text = $2 \
             AND m.\"user_id\"::text COLLATE \"C\" = $2)"
        );
        let up = lookup.up_statements(None);
        assert!(
            up[1].starts_with(
                "CREATE OR REPLACE FUNCTION tenant_wall.is_member(tenant integer, actor text) RETURNS boolean"
            ),
            "{}",
            up[1]
        );
        assert_eq!(
            lookup.down_statements(),
            [
                "DROP FUNCTION IF EXISTS tenant_wall.is_member(integer, text)",
                "DROP POLICY IF EXISTS \"memberships_tenant_lookup\" ON \"app\".\"memberships\"",
            ]
        );
    }

    #[test]
    fn names_are_quoted_and_cannot_end_the_body() {
        let lookup = DirectoryLookup::new("org\"s").slug_column("s$lookup0$x");
        let up = lookup.up_statements(None);
        assert!(
            up[1].contains("FROM \"public\".\"org\"\"s\" AS t"),
            "{}",
            up[1]
        );
        assert!(up[1].contains("AS $lookup1$SELECT"), "{}", up[1]);
        assert!(up[1].ends_with("$lookup1$"), "{}", up[1]);
    }

    #[test]
    fn the_migration_sends_the_lookups_last_and_drops_them_before_the_wall() {
        let rls = RlsMigrations::new("1")
            .directory_lookup(DirectoryLookup::new("tenants"))
            .membership_lookup(MembershipLookup::new("tenants", "id", "owner"))
            // Replaces the first directory lookup: one function, one name.
            .directory_lookup(DirectoryLookup::new("organizations"))
            .grant_to("app");
        let up = rls.up_statements();
        assert_eq!(generated_functions(&rls).len(), 2);
        assert!(!up.iter().any(|s| s.contains("\"public\".\"tenants\" AS t")));
        let function = up
            .iter()
            .position(|s| s.contains("FUNCTION tenant_wall.find_tenant"))
            .unwrap();
        let schema = up.iter().position(|s| s.contains("CREATE SCHEMA")).unwrap();
        assert!(schema < function);
        assert!(up.last().unwrap().starts_with("GRANT EXECUTE"));
        let down = rls.down_statements();
        let drop = down
            .iter()
            .position(|s| s.contains("DROP FUNCTION IF EXISTS tenant_wall.find_tenant(text)"))
            .unwrap();
        let schema = down
            .iter()
            .position(|s| s == "DROP SCHEMA IF EXISTS tenant_wall")
            .unwrap();
        assert!(drop < schema);
    }

    #[test]
    fn two_lookups_over_one_table_share_its_policy() {
        let lookups = [
            Lookup::Directory(DirectoryLookup::new("orgs").spec),
            Lookup::Membership(MembershipLookup::new("orgs", "id", "owner").spec),
        ];
        let up = up_statements(&lookups, &None);
        assert_eq!(
            up.iter().filter(|s| s.starts_with("CREATE POLICY")).count(),
            1
        );
        let down = down_statements(&lookups);
        assert_eq!(
            down.iter().filter(|s| s.starts_with("DROP POLICY")).count(),
            1
        );
    }

    #[test]
    fn verify_looks_a_function_up_by_its_qualified_types() {
        let rls = RlsMigrations::new("1").membership_lookup(
            MembershipLookup::new("m", "t", "a").tenant_type::<diesel::sql_types::BigInt>(),
        );
        let [function] = &generated_functions(&rls)[..] else {
            panic!("one function")
        };
        assert_eq!(
            function.signature,
            "tenant_wall.is_member(pg_catalog.int8, pg_catalog.text)"
        );
        assert_eq!(function.name, "tenant_wall.is_member(bigint, text)");
    }
}
