use std::fmt;

use diesel::backend::Backend;
use diesel::migration::{
    Migration, MigrationMetadata, MigrationName, MigrationSource, MigrationVersion,
    Result as MigrationResult,
};
use diesel::pg::Pg;
use diesel::Column;

use crate::{TenantSetting, TenantTable};

/// A tenant table named for SQL: its table and tenant column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RlsTable {
    table: String,
    tenant_column: String,
}

/// `name` as a quoted SQL identifier (`"` doubled inside), so that no table or
/// column name can change the generated statement.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl RlsTable {
    /// The table of a model that derives `TenantScoped`.
    pub fn of<T: TenantTable>() -> Self {
        Self {
            table: T::TABLE_NAME.to_owned(),
            tenant_column: <T::TenantColumn as Column>::NAME.to_owned(),
        }
    }

    /// A table by name, for tables whose SQL name differs from their Rust name.
    pub fn named(table: &str, tenant_column: &str) -> Self {
        Self {
            table: table.to_owned(),
            tenant_column: tenant_column.to_owned(),
        }
    }

    /// The table's SQL name.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// The tenant column's SQL name.
    pub fn tenant_column(&self) -> &str {
        &self.tenant_column
    }

    /// The quoted table, tenant column, policy and index names.
    fn quoted_names(&self) -> [String; 4] {
        [
            quoted(&self.table),
            quoted(&self.tenant_column),
            quoted(&format!("{}_tenant_isolation", self.table)),
            quoted(&format!("{}_{}_rls", self.table, self.tenant_column)),
        ]
    }
}

/// The SQL that puts `table` behind row-level security: `ENABLE` and `FORCE`
/// (so that even the table's owner is subject to it), one policy whose `USING` and
/// `WITH CHECK` compare the tenant column with the setting, and an index that leads
/// with the tenant column so the policy's filter stays cheap.
///
/// With the setting unset or empty, `NULLIF(.., '')::bigint` is `NULL` and the
/// policy matches no row: a missing tenant reads nothing and writes nothing.
pub fn rls_up_sql(table: &RlsTable, setting: &TenantSetting) -> String {
    script(rls_up_statements(table, setting))
}

/// [`rls_up_sql`], one statement per entry: what the migration sends, one call
/// each (Citus refuses several commands in one call).
pub fn rls_up_statements(table: &RlsTable, setting: &TenantSetting) -> Vec<String> {
    let [t, c, policy, index] = table.quoted_names();
    // The setting name is validated by `TenantSetting`: lowercase words and a dot.
    let s = setting.name();
    vec![
        format!("ALTER TABLE {t} ENABLE ROW LEVEL SECURITY"),
        format!("ALTER TABLE {t} FORCE ROW LEVEL SECURITY"),
        format!(
            "CREATE POLICY {policy} ON {t}\n    \
                 USING ({c} = NULLIF(current_setting('{s}', true), '')::bigint)\n    \
                 WITH CHECK ({c} = NULLIF(current_setting('{s}', true), '')::bigint)"
        ),
        format!("CREATE INDEX IF NOT EXISTS {index} ON {t} ({c})"),
    ]
}

/// The SQL that undoes [`rls_up_sql`].
pub fn rls_down_sql(table: &RlsTable) -> String {
    script(rls_down_statements(table))
}

/// [`rls_down_sql`], one statement per entry.
pub fn rls_down_statements(table: &RlsTable) -> Vec<String> {
    let [t, _, policy, index] = table.quoted_names();
    vec![
        format!("DROP INDEX IF EXISTS {index}"),
        format!("DROP POLICY IF EXISTS {policy} ON {t}"),
        format!("ALTER TABLE {t} NO FORCE ROW LEVEL SECURITY"),
        format!("ALTER TABLE {t} DISABLE ROW LEVEL SECURITY"),
    ]
}

/// Statements as a script to read or to paste into a migration file.
fn script(statements: Vec<String>) -> String {
    statements
        .into_iter()
        .map(|statement| statement + ";\n")
        .collect()
}

/// The SQL for a composite foreign key `(tenant, fk) -> (tenant, key)`, so that a
/// child row cannot reference another tenant's parent.
///
/// Referential checks run with the table owner's rights and bypass row-level
/// security: a plain `account_id REFERENCES accounts (id)` accepts an invoice of
/// Acme's that points at an account of Contoso's. Naming the tenant on both sides
/// makes the database refuse it. The parent needs `UNIQUE (tenant_id, id)`.
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
    setting: TenantSetting,
}

impl RlsMigrations {
    /// An empty set; `version` orders it among the application's migrations (a
    /// timestamp later than the migrations that create the tables).
    pub fn new(version: &str) -> Self {
        Self {
            version: version.to_owned(),
            tables: Vec::new(),
            shared: Vec::new(),
            setting: TenantSetting::default(),
        }
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

    /// Declares a table the application queries as shared (`global_table!`), so
    /// that [`verify_isolation`](super::verify_isolation) can refuse one that is
    /// really a tenant table: a second `table!` of the same SQL table
    /// (`#[sql_name = "accounts"]`) declared global would read every tenant's
    /// rows, and no type links the two declarations. It writes no migration.
    pub fn global_table<T>(mut self) -> Self
    where
        T: crate::GlobalTable
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
        self.tables
            .iter()
            .flat_map(|table| rls_up_statements(table, &self.setting))
            .collect()
    }

    /// The whole down migration.
    pub fn down_sql(&self) -> String {
        script(self.down_statements())
    }

    /// The down migration's statements, in the order they are sent.
    pub fn down_statements(&self) -> Vec<String> {
        self.tables
            .iter()
            .rev()
            .flat_map(rls_down_statements)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_reads_the_setting_and_fails_closed_when_it_is_missing() {
        let sql = rls_up_sql(
            &RlsTable::named("accounts", "tenant_id"),
            &TenantSetting::default(),
        );
        assert!(sql.contains("ALTER TABLE \"accounts\" ENABLE ROW LEVEL SECURITY;"));
        assert!(sql.contains("ALTER TABLE \"accounts\" FORCE ROW LEVEL SECURITY;"));
        let predicate =
            "(\"tenant_id\" = NULLIF(current_setting('app.tenant_id', true), '')::bigint)";
        assert!(sql.contains(&format!("USING {predicate}")), "{sql}");
        assert!(sql.contains(&format!("WITH CHECK {predicate}")), "{sql}");
        assert!(sql.contains("ON \"accounts\" (\"tenant_id\")"), "{sql}");
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
