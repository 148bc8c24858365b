use std::fmt;

use diesel::backend::Backend;
use diesel::migration::{
    Migration, MigrationMetadata, MigrationName, MigrationSource, MigrationVersion,
    Result as MigrationResult,
};
use diesel::pg::Pg;
use diesel::Column;

use super::references::same_tenant_reference_up_statements;
use super::rls_table::RlsTable;
use super::script::{do_block, script};
use crate::references::{literal, quoted, ReferenceNames, SameTenantReference};
use crate::row_key::{RowKey, RowKeyOfKind};
use crate::table::{TableKind, TenantColumnSql, TenantTable};
use crate::wall::TenantSetting;

/// The SQL that puts `table` behind row-level security: `ENABLE` and `FORCE`
/// (so that even the table's owner is subject to it), one policy whose `USING` and
/// `WITH CHECK` compare the tenant column with the signed tenant the verifier
/// `tenant_wall.current_tenant()` returns (once per statement), an index that
/// leads with the tenant column so the policy's filter stays cheap, and the same
/// policy on every partition or child table that exists (a partition named
/// directly is otherwise open).
///
/// The verifier returns `NULL` for a missing, forged or expired tenant, and the
/// policy then matches no row: nothing is read and nothing is written. It is
/// created by [`RlsMigrations`], which also runs these statements.
pub fn rls_up_sql(table: &RlsTable, setting: &TenantSetting) -> String {
    script(rls_up_statements(table, setting))
}

/// [`rls_up_sql`], one statement per entry: what the migration sends, one call
/// each (Citus refuses several commands in one call).
pub fn rls_up_statements(table: &RlsTable, setting: &TenantSetting) -> Vec<String> {
    table_up_statements(table, &TenantCheck::Signed.predicate(table, setting))
}

/// How the policies learn the tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TenantCheck {
    /// From `tenant_wall.current_tenant()`, which verifies the signed setting.
    Signed,
    /// From the bare setting, which any SQL on the application's role can set.
    Unsigned,
}

impl TenantCheck {
    /// The policy's predicate on `table`.
    fn predicate(self, table: &RlsTable, setting: &TenantSetting) -> String {
        let c = quoted(&table.tenant_column);
        if let Some((parent, key)) = &table.parent {
            // The parent's own policy decides which of its rows the
            // subquery sees: the tenant's, however the tenant is set.
            let parent = quoted(parent);
            return format!("({c} IN (SELECT {parent}.{} FROM {parent}))", quoted(key));
        }
        let (verifier, cast) = super::wall_sql::verifier_of(table.column_sql);
        match self {
            // A scalar subquery: an init plan, run once per statement, so the
            // MAC is checked once however many rows are scanned.
            Self::Signed => format!("({c} = (SELECT {verifier}(){cast}))"),
            // The setting name is validated by `TenantSetting`: lowercase words
            // and a dot. Unset or empty, `NULLIF(.., '')::bigint` is `NULL`.
            Self::Unsigned => format!(
                "({c} = NULLIF(current_setting('{}', true), ''){})",
                setting.name(),
                unsigned_cast(table.column_sql),
            ),
        }
    }
}

/// The name of the policy that shows `table`'s shared rows to `SELECT`.
pub(crate) fn shared_rows_policy(table: &str) -> String {
    format!("{table}_shared_rows")
}

/// The cast of the bare setting's text to the tenant column's type.
fn unsigned_cast(column_sql: TenantColumnSql) -> &'static str {
    match column_sql {
        TenantColumnSql::Integer | TenantColumnSql::BigInt => "::bigint",
        TenantColumnSql::Uuid => "::uuid",
        TenantColumnSql::UuidText => "",
    }
}

fn table_up_statements(table: &RlsTable, predicate: &str) -> Vec<String> {
    let [t, c, policy, _] = table.quoted_names();
    let mut statements = vec![
        format!("ALTER TABLE {t} ENABLE ROW LEVEL SECURITY"),
        format!("ALTER TABLE {t} FORCE ROW LEVEL SECURITY"),
        format!(
            "CREATE POLICY {policy} ON {t}\n    \
                 USING {predicate}\n    \
                 WITH CHECK {predicate}"
        ),
    ];
    if table.shared_rows {
        // Permissive policies are OR-ed per command: `SELECT` sees the shared
        // rows too. An `UPDATE` or `DELETE` also needs the `SELECT` policies
        // and its own, AND-ed, so it still reaches the tenant's rows only, and
        // an `INSERT` or an update's new row passes the tenant's `WITH CHECK`.
        statements.push(format!(
            "CREATE POLICY {} ON {t} FOR SELECT\n    USING ({c} IS NULL)",
            quoted(&shared_rows_policy(&table.table))
        ));
    }
    statements.extend([tenant_index(table), descendants_up(table, predicate)]);
    statements
}

/// An index that leads with the tenant column, so the policy's filter stays
/// cheap, unless the table already has one (a primary key `(tenant_id, id)`,
/// for example): a second would only slow every write. The migration says which
/// it did (`NOTICE`).
fn tenant_index(table: &RlsTable) -> String {
    let [t, c, _, index] = table.quoted_names();
    let (table_literal, column_literal) = (literal(&t), literal(&table.tenant_column));
    do_block(&format!(
        "BEGIN\n    \
             IF EXISTS (SELECT FROM pg_index i\n               \
                        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]\n               \
                        WHERE i.indrelid = {table_literal}::regclass AND a.attname = {column_literal}\n                 \
                          AND i.indpred IS NULL AND i.indisvalid) THEN\n        \
                 RAISE NOTICE 'tenant wall: % already has an index that leads with %: not adding another', {table_literal}, {column_literal};\n    \
             ELSE\n        \
                 CREATE INDEX IF NOT EXISTS {index} ON {t} ({c});\n    \
             END IF;"
    ))
}

/// Each partition or inheritance child of `table`, at any depth, that exists
/// when it runs, as a PL/pgSQL loop header over `child regclass`.
fn for_each_descendant(table: &RlsTable) -> String {
    format!(
        "FOR child IN\n        \
             WITH RECURSIVE tree(relid) AS (\n            \
                 SELECT inhrelid FROM pg_inherits WHERE inhparent = {}::regclass\n            \
                 UNION SELECT i.inhrelid FROM pg_inherits i JOIN tree ON i.inhparent = tree.relid)\n        \
             SELECT relid::regclass FROM tree\n    \
         LOOP",
        literal(&quoted(&table.table))
    )
}

/// Row-level security on every descendant of `table`: each has its own
/// settings, and a partition named directly (`events_2024_01`) is read without
/// its parent's policy. Each gets the parent's policy under its own name.
fn descendants_up(table: &RlsTable, predicate: &str) -> String {
    let predicate = literal(predicate);
    do_block(&format!(
        "DECLARE child regclass; BEGIN\n    \
             {}\n        \
                 EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', child);\n        \
                 EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', child);\n        \
                 EXECUTE format('DROP POLICY IF EXISTS %I ON %s', (SELECT relname FROM pg_class WHERE oid = child) || '_tenant_isolation', child);\n        \
                 EXECUTE format('CREATE POLICY %I ON %s USING %s WITH CHECK %s',\n            \
                     (SELECT relname FROM pg_class WHERE oid = child) || '_tenant_isolation', child, {predicate}, {predicate});\n    \
             END LOOP;",
        for_each_descendant(table)
    ))
}

fn descendants_down(table: &RlsTable) -> String {
    do_block(&format!(
        "DECLARE child regclass; BEGIN\n    \
             {}\n        \
                 EXECUTE format('DROP POLICY IF EXISTS %I ON %s', (SELECT relname FROM pg_class WHERE oid = child) || '_tenant_isolation', child);\n        \
                 EXECUTE format('ALTER TABLE %s NO FORCE ROW LEVEL SECURITY', child);\n        \
                 EXECUTE format('ALTER TABLE %s DISABLE ROW LEVEL SECURITY', child);\n    \
             END LOOP;",
        for_each_descendant(table)
    ))
}

/// The SQL that undoes [`rls_up_sql`].
pub fn rls_down_sql(table: &RlsTable) -> String {
    script(rls_down_statements(table))
}

/// [`rls_down_sql`], one statement per entry.
pub fn rls_down_statements(table: &RlsTable) -> Vec<String> {
    let [t, _, policy, index] = table.quoted_names();
    vec![
        descendants_down(table),
        format!("DROP INDEX IF EXISTS {index}"),
        format!(
            "DROP POLICY IF EXISTS {} ON {t}",
            quoted(&shared_rows_policy(&table.table))
        ),
        format!("DROP POLICY IF EXISTS {policy} ON {t}"),
        format!("ALTER TABLE {t} NO FORCE ROW LEVEL SECURITY"),
        format!("ALTER TABLE {t} DISABLE ROW LEVEL SECURITY"),
    ]
}

/// The SQL for a composite foreign key `(tenant, fk) -> (tenant, key)`, so that a
/// child row cannot reference another tenant's parent.
///
/// Referential checks run with the table owner's rights and bypass row-level
/// security: a plain `account_id REFERENCES accounts (id)` accepts an invoice of
/// Acme's that points at an account of Contoso's. Naming the tenant on both sides
/// makes the database refuse it. The parent needs `UNIQUE (tenant_id, id)`. For
/// a pair declared with `tenant_joinable!`, prefer
/// [`RlsMigrations::same_tenant_reference`], which also adds that key where it
/// is missing and validates the rows already there.
///
/// ```
/// # #[cfg(feature = "postgres")] {
/// use tenant_diesel::postgres::{same_tenant_foreign_key_sql, RlsTable};
///
/// let sql = same_tenant_foreign_key_sql(
///     &RlsTable::named("invoices", "tenant_id"),
///     "account_id",
///     &RlsTable::named("accounts", "tenant_id"),
///     "id",
/// );
/// assert!(sql.contains("FOREIGN KEY (\"tenant_id\", \"account_id\") REFERENCES \"accounts\" (\"tenant_id\", \"id\")"));
/// # }
/// ```
pub fn same_tenant_foreign_key_sql(
    child: &RlsTable,
    foreign_key: &str,
    parent: &RlsTable,
    parent_key: &str,
) -> String {
    let constraint = quoted(&format!("{}_{}_same_tenant", child.table, foreign_key));
    format!(
        "ALTER TABLE {} ADD CONSTRAINT {constraint}\n    \
             FOREIGN KEY ({}, {}) REFERENCES {} ({}, {});\n",
        quoted(&child.table),
        quoted(&child.tenant_column),
        quoted(foreign_key),
        quoted(&parent.table),
        quoted(&parent.tenant_column),
        quoted(parent_key),
    )
}

/// The row-level-security migrations of a set of tenant tables, as a Diesel
/// migration source: run it with `diesel_migrations`' `run_pending_migrations`
/// after the migrations that create the tables.
///
/// ```
/// # #[cfg(feature = "postgres")] {
/// use tenant_diesel::postgres::{RlsMigrations, RlsTable};
///
/// let rls = RlsMigrations::new("20240101000000")
///     .table(RlsTable::named("accounts", "tenant_id"));
/// assert!(rls.up_sql().contains("FORCE ROW LEVEL SECURITY"));
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct RlsMigrations {
    version: String,
    tables: Vec<RlsTable>,
    shared: Vec<String>,
    /// The declared pairs whose references must stay inside the tenant
    /// (`same_tenant_reference`, in `references.rs`).
    pub(super) references: Vec<crate::references::ReferenceNames>,
    /// The tenant lookups that run before a tenant is known (`lookups.rs`).
    pub(super) lookups: Vec<super::lookups::Lookup>,
    /// The application's role, to grant exactly what the wall allows.
    grantee: Option<String>,
    setting: TenantSetting,
    check: TenantCheck,
}

impl RlsMigrations {
    /// An empty set; `version` orders it among the application's migrations (a
    /// timestamp later than the migrations that create the tables).
    pub fn new(version: &str) -> Self {
        Self {
            version: version.to_owned(),
            tables: Vec::new(),
            shared: Vec::new(),
            references: Vec::new(),
            lookups: Vec::new(),
            grantee: None,
            setting: TenantSetting::default(),
            check: TenantCheck::Signed,
        }
    }

    /// Grants the application's role exactly what the wall allows, last in the
    /// migration: the rows of each tenant table (`SELECT, INSERT, UPDATE,
    /// DELETE`), reading each shared table, and the wall's functions. Nothing
    /// more (no `TRUNCATE`, `TRIGGER` or `REFERENCES`, which `verify_isolation`
    /// refuses), and nothing on partitions, which are reached through their
    /// parent. The down migration takes them back.
    pub fn grant_to(mut self, role: &str) -> Self {
        self.grantee = Some(role.to_owned());
        self
    }

    /// Adds a table.
    pub fn table(mut self, table: RlsTable) -> Self {
        self.tables.push(table);
        self
    }

    /// Adds the table of a model that derives `TenantScoped`.
    pub fn tenant_table<T: TenantTable>(self) -> Self {
        self.table(RlsTable::of::<T>())
    }

    /// Adds the table of a model whose tenant is its parent's
    /// (`#[tenant(parent = .., foreign_key = ..)]`); declare the parent too.
    pub fn through_table<T: crate::owned::ThroughParent>(self) -> Self {
        self.table(RlsTable::through::<T>())
    }

    /// Declares a table the application queries as shared (`global_table!`), so
    /// that [`verify_isolation`](super::verify_isolation) can refuse one that is
    /// really a tenant table: a second `table!` of the same SQL table
    /// (`#[sql_name = "accounts"]`) declared global would read every tenant's
    /// rows, and no type links the two declarations. It writes no migration.
    pub fn global_table<T>(mut self) -> Self
    where
        T: crate::table::GlobalTable
            + diesel::internal::table_macro::StaticQueryFragment<
                Component = diesel::internal::table_macro::Identifier<'static>,
            >,
    {
        self.shared.push(T::STATIC_COMPONENT.0.to_owned());
        self
    }

    /// The SQL names of the tables declared shared.
    pub fn shared_tables(&self) -> &[String] {
        &self.shared
    }

    /// Reads the tenant from another setting than `app.tenant_id`.
    pub fn setting(mut self, setting: TenantSetting) -> Self {
        self.setting = setting;
        self
    }

    /// Generates policies that read the bare tenant setting instead of the
    /// signed one: no key to keep, one hash less per statement, and **no
    /// defence against raw SQL on the application's role**, which can
    /// `SET LOCAL app.tenant_id = '2'` and read tenant 2. Connections then use a
    /// [`TenantSetting`] without a key. `verify_isolation` reports this mode.
    pub fn unsigned_tenant(mut self) -> Self {
        self.check = TenantCheck::Unsigned;
        self
    }

    /// Whether the policies verify a signed tenant (the default).
    pub fn is_signed(&self) -> bool {
        self.check == TenantCheck::Signed
    }

    /// The SQL that puts row-level security on every partition or child table
    /// of the tenant tables as they are now. A partition created after the
    /// migration has none until this runs again (in the migration that creates
    /// it); `verify_isolation` refuses to start while one is open.
    pub fn descendants_sql(&self) -> String {
        script(
            self.tables
                .iter()
                .map(|table| descendants_up(table, &self.check.predicate(table, &self.setting)))
                .collect(),
        )
    }

    /// The tables, in order.
    pub fn tables(&self) -> &[RlsTable] {
        &self.tables
    }

    /// The setting the policies read.
    pub fn tenant_setting(&self) -> &TenantSetting {
        &self.setting
    }

    /// The whole up migration.
    pub fn up_sql(&self) -> String {
        script(self.up_statements())
    }

    /// The up migration's statements, in the order they are sent, one per call.
    pub fn up_statements(&self) -> Vec<String> {
        let wall = super::wall_sql::up_statements(&self.setting, self.is_signed());
        let tables = self.tables.iter().flat_map(|table| {
            table_up_statements(table, &self.check.predicate(table, &self.setting))
        });
        let references = self
            .references
            .iter()
            .flat_map(same_tenant_reference_up_statements);
        let grants = self
            .grantee
            .iter()
            .flat_map(|role| super::grants::up_statements(role, &self.tables, &self.shared));
        wall.into_iter()
            .chain(tables)
            .chain(references)
            .chain(grants)
            .chain(super::lookups::up_statements(&self.lookups, &self.grantee))
            .collect()
    }

    /// The whole down migration.
    pub fn down_sql(&self) -> String {
        script(self.down_statements())
    }

    /// The down migration's statements, in the order they are sent.
    pub fn down_statements(&self) -> Vec<String> {
        let tables = self.tables.iter().rev().flat_map(rls_down_statements);
        let grants = self
            .grantee
            .iter()
            .flat_map(|role| super::grants::down_statements(role, &self.tables, &self.shared));
        grants
            .chain(super::lookups::down_statements(&self.lookups))
            .chain(super::references::down_statements(&self.references))
            .chain(tables)
            .chain(super::wall_sql::down_statements(self.is_signed()))
            .collect()
    }
}

impl MigrationSource<Pg> for RlsMigrations {
    fn migrations(&self) -> MigrationResult<Vec<Box<dyn Migration<Pg>>>> {
        Ok(vec![Box::new(GeneratedMigration {
            name: Name {
                version: self.version.clone(),
            },
            up: self.up_statements(),
            down: self.down_statements(),
        })])
    }
}

/// One migration whose SQL was generated rather than read from a file.
struct GeneratedMigration {
    name: Name,
    up: Vec<String>,
    down: Vec<String>,
}

struct Name {
    version: String,
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}_tenant_row_level_security", self.version)
    }
}

impl MigrationName for Name {
    fn version(&self) -> MigrationVersion<'_> {
        MigrationVersion::from(self.version.as_str())
    }
}

/// Runs in a transaction, as Diesel's file migrations do by default.
struct InTransaction;

impl MigrationMetadata for InTransaction {}

impl<DB: Backend> Migration<DB> for GeneratedMigration {
    // One statement per call, inside the migration's transaction: Citus refuses
    // several commands in one call ("cannot insert multiple commands into a
    // prepared statement").
    fn run(&self, conn: &mut dyn diesel::connection::BoxableConnection<DB>) -> MigrationResult<()> {
        for statement in &self.up {
            conn.batch_execute(statement)?;
        }
        Ok(())
    }

    fn revert(
        &self,
        conn: &mut dyn diesel::connection::BoxableConnection<DB>,
    ) -> MigrationResult<()> {
        for statement in &self.down {
            conn.batch_execute(statement)?;
        }
        Ok(())
    }

    fn metadata(&self) -> &dyn MigrationMetadata {
        &InTransaction
    }

    fn name(&self) -> &dyn MigrationName {
        &self.name
    }
}

impl RlsMigrations {
    /// Adds the pair `tenant_joinable!(child -> parent (fk))` declared: the
    /// database then refuses a child row whose foreign key names another
    /// tenant's parent. Its statements ([`same_tenant_reference_up_statements`])
    /// follow the tables' row-level-security statements; the last of them fails
    /// on rows already there that name another tenant's parent.
    ///
    /// ```
    /// # #[cfg(feature = "postgres")] {
    /// use tenant_diesel::postgres::RlsMigrations;
    /// use tenant_diesel::prelude::*;
    ///
    /// diesel::table! { accounts (id) { id -> BigInt, tenant_id -> BigInt, } }
    /// diesel::table! { invoices (id) { id -> BigInt, tenant_id -> BigInt, account_id -> BigInt, } }
    /// diesel::allow_tables_to_appear_in_same_query!(accounts, invoices);
    /// #[derive(Queryable, TenantScoped)]
    /// #[diesel(table_name = accounts)]
    /// struct Account { id: i64, tenant_id: i64 }
    /// #[derive(Queryable, TenantScoped)]
    /// #[diesel(table_name = invoices)]
    /// struct Invoice { id: i64, tenant_id: i64, account_id: i64 }
    /// tenant_joinable!(invoices -> accounts (account_id));
    ///
    /// let rls = RlsMigrations::new("20240101000000")
    ///     .tenant_table::<accounts::table>()
    ///     .tenant_table::<invoices::table>()
    ///     .same_tenant_reference::<invoices::table, accounts::table>();
    /// assert!(rls.up_sql().contains("VALIDATE CONSTRAINT \"invoices_account_id_same_tenant\""));
    /// # }
    /// ```
    pub fn same_tenant_reference<Child, Parent>(mut self) -> Self
    where
        Child: SameTenantReference<Parent>,
        Parent: TenantTable + TableKind,
        Parent::Kind: RowKeyOfKind<Parent>,
        RowKey<Parent>: Column,
    {
        self.references.push(ReferenceNames::of::<Child, Parent>());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_reads_the_verified_tenant_and_covers_every_descendant() {
        let sql = rls_up_sql(
            &RlsTable::named("accounts", "tenant_id"),
            &TenantSetting::default(),
        );
        assert!(sql.contains("ALTER TABLE \"accounts\" ENABLE ROW LEVEL SECURITY;"));
        assert!(sql.contains("ALTER TABLE \"accounts\" FORCE ROW LEVEL SECURITY;"));
        let predicate = "(\"tenant_id\" = (SELECT tenant_wall.current_tenant()))";
        assert!(sql.contains(&format!("USING {predicate}")), "{sql}");
        assert!(sql.contains(&format!("WITH CHECK {predicate}")), "{sql}");
        assert!(sql.contains("CREATE INDEX IF NOT EXISTS \"accounts_tenant_id_rls\" ON \"accounts\" (\"tenant_id\")"), "{sql}");
        assert!(
            sql.contains("inhparent = '\"accounts\"'::regclass"),
            "{sql}"
        );
        assert!(sql.contains(&literal(predicate)), "{sql}");
        assert!(sql.contains("DO $wall0$ DECLARE child regclass;"), "{sql}");
    }

    #[test]
    fn the_unsigned_mode_reads_the_bare_setting() {
        let rls = RlsMigrations::new("1")
            .table(RlsTable::named("accounts", "tenant_id"))
            .unsigned_tenant();
        assert!(!rls.is_signed());
        let sql = rls.up_sql();
        let predicate =
            "(\"tenant_id\" = NULLIF(current_setting('app.tenant_id', true), '')::bigint)";
        assert!(sql.contains(&format!("USING {predicate}")), "{sql}");
        assert!(!sql.contains("signing_key"), "{sql}");
        assert!(sql.contains("assert_clean_session"), "{sql}");
    }

    #[test]
    fn a_name_that_spells_the_dollar_tag_cannot_end_the_block() {
        let sql = rls_up_sql(
            &RlsTable::named("a$wall0$b", "c$wall1$d"),
            &TenantSetting::default(),
        );
        assert!(sql.contains("DO $wall2$ "), "{sql}");
        assert!(sql.contains("END $wall2$"), "{sql}");
    }

    #[test]
    fn a_table_name_with_a_quote_stays_one_literal_in_the_descendant_loop() {
        let sql = rls_up_sql(
            &RlsTable::named("it's", "tenant_id"),
            &TenantSetting::default(),
        );
        assert!(sql.contains("inhparent = '\"it''s\"'::regclass"), "{sql}");
    }

    #[test]
    fn names_are_quoted_so_they_cannot_change_the_statement() {
        let sql = rls_up_sql(
            &RlsTable::named("acc\"ounts", "tenant_id"),
            &TenantSetting::default(),
        );
        assert!(
            sql.starts_with("ALTER TABLE \"acc\"\"ounts\" ENABLE"),
            "{sql}"
        );
    }
}
