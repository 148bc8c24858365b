//! A tenant table as the migrations name it in SQL.

use diesel::expression::Expression;
use diesel::Column;

use crate::references::quoted;
use crate::table::{TenantColumnSql, TenantColumnType, TenantTable};

/// A tenant table named for SQL: its table, its tenant column and that
/// column's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RlsTable {
    pub(super) table: String,
    /// The tenant column, or for a table reached through its parent the
    /// foreign key to the parent.
    pub(super) tenant_column: String,
    pub(super) column_sql: TenantColumnSql,
    pub(super) shared_rows: bool,
    /// The parent whose tenant the table's rows have, and the parent's key the
    /// foreign key holds.
    pub(super) parent: Option<(String, String)>,
}

impl RlsTable {
    /// The table of a model that derives `TenantScoped`, with its tenant
    /// column's type from `schema.rs`.
    pub fn of<T: TenantTable>() -> Self {
        Self {
            table: T::TABLE_NAME.to_owned(),
            tenant_column: <T::TenantColumn as Column>::NAME.to_owned(),
            column_sql: <<T::TenantColumn as Expression>::SqlType as TenantColumnType>::SQL,
            shared_rows: T::SHARED_ROWS,
            parent: None,
        }
    }

    /// The table of a model whose tenant is its parent's
    /// (`#[tenant(parent = teams, foreign_key = team_id)]`): its policy lets a
    /// row through when its parent is one the policies of the parent let
    /// through, `team_id IN (SELECT teams.id FROM teams)`, so the parent must be
    /// behind the wall too (`verify_isolation` refuses a parent that is not
    /// declared).
    pub fn through<T: crate::owned::ThroughParent>() -> Self {
        Self {
            table: T::TABLE_NAME.to_owned(),
            tenant_column: T::FOREIGN_KEY.to_owned(),
            column_sql: TenantColumnSql::BigInt,
            shared_rows: false,
            parent: Some((
                <T::Parent as crate::owned::OwnedTable>::TABLE_NAME.to_owned(),
                T::PARENT_KEY.to_owned(),
            )),
        }
    }

    /// The parent table and key of a table reached through its parent.
    pub fn parent(&self) -> Option<(&str, &str)> {
        self.parent
            .as_ref()
            .map(|(table, key)| (table.as_str(), key.as_str()))
    }

    /// A table by name, for tables whose SQL name differs from their Rust name;
    /// its tenant column is an integer (`bigint` or `integer`) unless
    /// [`column_sql`](Self::column_sql) says otherwise.
    pub fn named(table: &str, tenant_column: &str) -> Self {
        Self {
            table: table.to_owned(),
            tenant_column: tenant_column.to_owned(),
            column_sql: TenantColumnSql::BigInt,
            shared_rows: false,
            parent: None,
        }
    }

    /// The same table, its `NULL`-tenant rows shared by every tenant (what
    /// `#[tenant(shared_rows)]` says of a model): a second policy lets `SELECT`
    /// see them, and only `SELECT`.
    pub fn shared_rows(mut self) -> Self {
        self.shared_rows = true;
        self
    }

    /// Whether the table's `NULL`-tenant rows are shared by every tenant.
    pub fn has_shared_rows(&self) -> bool {
        self.shared_rows
    }

    /// The same table, its tenant column of type `column_sql` (a `uuid`
    /// column, say).
    pub fn column_sql(mut self, column_sql: TenantColumnSql) -> Self {
        self.column_sql = column_sql;
        self
    }

    /// The tenant column's type.
    pub fn tenant_column_sql(&self) -> TenantColumnSql {
        self.column_sql
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
    pub(super) fn quoted_names(&self) -> [String; 4] {
        [
            quoted(&self.table),
            quoted(&self.tenant_column),
            quoted(&format!("{}_tenant_isolation", self.table)),
            quoted(&format!("{}_{}_rls", self.table, self.tenant_column)),
        ]
    }
}
