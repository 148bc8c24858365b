use diesel::expression::Expression;
use diesel::{Column, Table};

use crate::seal::ImplementedByTenantDieselOnly;
use tenant_core::{TenantId, TenantIdValue};

/// A table whose rows each belong to one tenant.
///
/// Implemented by `#[derive(TenantScoped)]` on the table's model; do not implement
/// it by hand (a hand-written impl can filter by anything, and the types cannot
/// tell). The row-level-security wall is what covers such a mistake.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a tenant-scoped table",
    label = "no model of this table derives `TenantScoped`",
    note = "derive it on the table's model: `#[derive(TenantScoped)] #[diesel(table_name = ...)]`; a table every tenant shares is declared with `global_table!(...)` instead"
)]
pub trait TenantTable: Table + Default + Copy + ImplementedByTenantDieselOnly {
    /// The column that holds the owning tenant's id. Its role is the tenant
    /// column's, whatever path the derive named the role through
    /// (`#[tenant(crate = ..)]` cannot make it a writable column).
    type TenantColumn: Column<Table = Self>
        + Default
        + Expression<SqlType: TenantColumnType>
        + ColumnRole<Role: TheTenantColumnsRole>;

    /// The type of the table's tenant ids, from its tenant column's SQL type:
    /// `i32` for `Integer`, `i64` for `BigInt`, `uuid::Uuid` for `Uuid` (and for
    /// a `Text` column holding a UUID).
    type Id: TenantIdValue;

    /// The table's SQL name, for generated migrations.
    const TABLE_NAME: &'static str;

    /// Whether rows whose tenant column is `NULL` are shared by every tenant
    /// (`#[tenant(shared_rows)]`): readable by each, writable by none.
    const SHARED_ROWS: bool;

    /// `tenant_col = ?`, written out concretely by the derive.
    type TenantEq;

    /// The table filtered by `tenant_col = ?`, written out concretely by the derive
    /// (a generic `dsl::Filter<T, ..>` bound overflows rustc's trait solver).
    type Filtered;

    /// `tenant_col.eq(tenant)`: what a scoped insert stamps on every row.
    #[doc(hidden)]
    fn tenant_eq(tenant: TenantId<Self::Id>) -> Self::TenantEq;

    /// `table.filter(tenant_col.eq(tenant))`.
    #[doc(hidden)]
    fn tenant_filter(tenant: TenantId<Self::Id>) -> Self::Filtered;
}

/// The tenant column of `T`, as a value for generated `ON` clauses.
#[doc(hidden)]
pub fn tenant_column<T: TenantTable>() -> T::TenantColumn {
    T::TenantColumn::default()
}

/// A table that every tenant shares (plans, the tenant directory, memberships).
///
/// Declare it once with [`global_table!`](crate::global_table); its queries start
/// from [`global(table)`](crate::global()).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a global table",
    label = "not declared with `global_table!`",
    note = "a tenant-owned table is queried through its model: `Account::scoped(&ctx)`; a table every tenant shares is declared once with `global_table!(plans (id, name));`"
)]
pub trait GlobalTable: Table + Default + Copy + ImplementedByTenantDieselOnly {}

/// A table a tenant's scoped writes may change: a tenant-scoped table.
///
/// Not a global table: on a [`TenantConn`](crate::TenantConn), what every tenant
/// shares (the tenants, their memberships, the plans) is read-only.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is read-only on a tenant's connection",
    label = "not a tenant-scoped table",
    note = "a table every tenant shares (`global_table!`) is written through an audited `AdminConn` (`AdminCtx::new(reason, &staff, &auditor)`), never by a tenant's request",
    note = "a tenant-owned table is written through its model: `Account::scoped(&ctx).update(id).set(&changes)`"
)]
pub trait WritableTable: Table + Default + Copy + ImplementedByTenantDieselOnly {}

/// The role of a column of a tenant table: the tenant column, or a column a
/// scoped update may set. Written once per column by `#[derive(TenantScoped)]`,
/// so a column cannot have both.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` can only be declared by tenant-diesel's derives and macros",
    label = "no derive gave this column a role",
    note = "a tenant table and its tenant column are declared by `#[derive(TenantScoped)]` on the table's model; a hand-written `TenantTable` impl would skip the check the derive makes"
)]
pub trait ColumnRole: ImplementedByTenantDieselOnly {
    /// [`TenantColumnRole`] or [`WritableColumnRole`].
    type Role;
}

/// [`ColumnRole`] of the tenant column.
#[doc(hidden)]
pub enum TenantColumnRole {}

/// Implemented by [`TenantColumnRole`] alone: what a table's tenant column must
/// be, whatever path the derive named its role through. A `#[tenant(crate = ..)]`
/// look-alike that re-exports tenant-diesel's hidden items but shadows the role
/// (to make the tenant column writable) is refused here.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "the tenant column's role is `{Self}`, not tenant-diesel's tenant-column role",
    label = "this column would not be the tenant column",
    note = "`#[tenant(crate = ..)]` must name tenant-diesel itself (a renamed dependency or a re-export of the whole crate); a look-alike that shadows its hidden items is refused"
)]
pub trait TheTenantColumnsRole: only_tenant_column_role::Sealed {}

impl TheTenantColumnsRole for TenantColumnRole {}

mod only_tenant_column_role {
    pub trait Sealed {}
    impl Sealed for super::TenantColumnRole {}
}

/// [`ColumnRole`] of every other column of the model.
#[doc(hidden)]
pub enum WritableColumnRole {}

/// Which wall a table stands behind: tenant-scoped or global.
///
/// Both the derive and `global_table!` implement it, so declaring one table both
/// ways is a conflicting-implementations error (E0119).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a table this crate knows",
    label = "not a tenant table, a global table, or a nested join of such tables",
    note = "a table is known by `#[derive(TenantScoped)]` on its model or by `global_table!`; a join takes such a table, Diesel's nested join of them with nothing else applied (`b::table.inner_join(c::table)`), or a table with its own condition (`b::table.on(..)`)"
)]
pub trait TableKind: ImplementedByTenantDieselOnly {
    type Kind;
}

/// [`TableKind`] of a tenant-scoped table.
#[doc(hidden)]
pub enum TenantKind {}

/// [`TableKind`] of a global table.
#[doc(hidden)]
pub enum GlobalKind {}

/// [`TableKind`] of a table whose tenant is its parent's: its row key is its
/// primary key, which has no tenant column.
#[doc(hidden)]
pub enum ThroughKind {}

/// The SQL types a tenant column may have, each with the Rust type of its ids
/// and the value the tenant filter binds.
#[diagnostic::on_unimplemented(
    message = "a tenant column must be `Integer`, `BigInt` or `Uuid`, not `{Self}`",
    label = "tenant ids are integers or UUIDs",
    note = "change the column in the database, not in schema.rs (schema.rs must say what the database holds): a migration with `ALTER TABLE .. ALTER COLUMN .. TYPE bigint` (or `integer`, or `uuid`), then `diesel print-schema`",
    note = "a `Text` tenant column holding UUIDs (SQLite has no UUID type) needs the `uuid` feature of tenant-diesel"
)]
pub trait TenantColumnType: only_these::ColumnType {
    /// The Rust type of the column's tenant ids.
    type Id: TenantIdValue;

    /// What the tenant filter binds: the id itself, or its text.
    type Bind;

    /// The id as the filter binds it.
    #[doc(hidden)]
    fn bind(id: TenantId<Self::Id>) -> Self::Bind;

    /// The id a column of this type holds, read back (`None` for text that is
    /// not a UUID in its hyphenated lowercase form).
    #[doc(hidden)]
    fn read(stored: Self::Bind) -> Option<TenantId<Self::Id>>;

    /// The column's type in SQL, for generated migrations.
    const SQL: TenantColumnSql;
}

/// The SQL type of a tenant column, as generated migrations and policies need
/// it: which verifier of the signed tenant the policy compares it with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TenantColumnSql {
    /// `integer`: compared with the `bigint` verifier, whose index it still uses.
    Integer,
    /// `bigint`.
    BigInt,
    /// `uuid`.
    Uuid,
    /// `text` holding a UUID in its hyphenated lowercase form.
    UuidText,
}

/// An integer tenant column: the id is bound as it is, and read back as it is.
macro_rules! integer_tenant_column {
    ($sql_type:ident, $id:ty, $sql:ident) => {
        impl TenantColumnType for diesel::sql_types::$sql_type {
            type Id = $id;
            type Bind = $id;
            fn bind(id: TenantId<$id>) -> $id {
                id.get()
            }
            fn read(stored: $id) -> Option<TenantId<$id>> {
                Some(TenantId::new(stored))
            }
            const SQL: TenantColumnSql = TenantColumnSql::$sql;
        }

        impl TenantColumnIsNotNull for diesel::sql_types::$sql_type {}
    };
}

integer_tenant_column!(BigInt, i64, BigInt);
// An `integer` column compares with the verifier's `bigint` directly, and its
// index still serves the comparison (one operator family).
integer_tenant_column!(Integer, i32, Integer);

#[cfg(all(feature = "uuid", feature = "postgres"))]
impl TenantColumnType for diesel::sql_types::Uuid {
    type Id = uuid::Uuid;
    type Bind = uuid::Uuid;
    fn bind(id: TenantId<uuid::Uuid>) -> uuid::Uuid {
        id.get()
    }
    fn read(stored: uuid::Uuid) -> Option<TenantId<uuid::Uuid>> {
        Some(TenantId::new(stored))
    }
    const SQL: TenantColumnSql = TenantColumnSql::Uuid;
}

#[cfg(all(feature = "uuid", feature = "postgres"))]
impl TenantColumnIsNotNull for diesel::sql_types::Uuid {}

/// A UUID kept as text (SQLite has no UUID type): the tenant filter binds the
/// hyphenated lowercase form, the only form the library writes. A row whose
/// UUID another program wrote in another spelling matches no tenant.
#[cfg(feature = "uuid")]
impl TenantColumnType for diesel::sql_types::Text {
    type Id = uuid::Uuid;
    type Bind = String;
    fn bind(id: TenantId<uuid::Uuid>) -> String {
        id.to_string()
    }
    fn read(stored: String) -> Option<TenantId<uuid::Uuid>> {
        match tenant_core::AnyTenantId::parse_canonical(&stored)? {
            tenant_core::AnyTenantId::Uuid(id) => Some(TenantId::new(id)),
            _ => None,
        }
    }
    const SQL: TenantColumnSql = TenantColumnSql::UuidText;
}

#[cfg(feature = "uuid")]
impl TenantColumnIsNotNull for diesel::sql_types::Text {}

/// A nullable tenant column binds and compares like its type. Only a model that
/// says its `NULL` rows are shared by every tenant (`#[tenant(shared_rows)]`)
/// may have one: the derive checks [`TenantColumnIsNotNull`] otherwise.
impl<ST> TenantColumnType for diesel::sql_types::Nullable<ST>
where
    ST: TenantColumnType + TenantColumnIsNotNull,
{
    type Id = ST::Id;
    type Bind = ST::Bind;
    fn bind(id: TenantId<ST::Id>) -> ST::Bind {
        ST::bind(id)
    }
    fn read(stored: ST::Bind) -> Option<TenantId<ST::Id>> {
        ST::read(stored)
    }
    const SQL: TenantColumnSql = ST::SQL;
}

/// A tenant column that is `NOT NULL`: what every model's tenant column must be,
/// unless the model says its `NULL` rows are shared (`#[tenant(shared_rows)]`).
#[diagnostic::on_unimplemented(
    message = "a tenant column must be NOT NULL: this one is `{Self}`",
    label = "a row without a tenant belongs to no tenant's scope",
    note = "if every row has a tenant, say so in the database, not in schema.rs (schema.rs must say what the database holds): a migration that gives every row its tenant, then `ALTER TABLE .. ALTER COLUMN .. SET NOT NULL`, then `diesel print-schema`",
    note = "if a `NULL` tenant means a row every tenant shares (installation-wide templates, default labels), say so on the model: `#[tenant(column = account_id, shared_rows)]`; tenants then read the shared rows through `Model::scoped_with_shared_rows(&ctx)` and never write them"
)]
pub trait TenantColumnIsNotNull: only_these::ColumnType {}

/// Compiles only for a `NOT NULL` tenant column: what the derive checks for a
/// model without `#[tenant(shared_rows)]`.
#[doc(hidden)]
pub fn tenant_column_is_not_null<ST: TenantColumnIsNotNull>() {}

/// A nullable tenant column, whose `NULL` rows every tenant shares: what
/// `#[tenant(shared_rows)]` needs.
#[diagnostic::on_unimplemented(
    message = "`#[tenant(shared_rows)]` needs a nullable tenant column: this one is `{Self}`",
    label = "no row of this column is without a tenant",
    note = "shared rows are the rows whose tenant column is `NULL`; a `NOT NULL` tenant column has none: remove `shared_rows`"
)]
pub trait SharedRowsColumn: only_these::ColumnType {}

impl<ST: TenantColumnIsNotNull> SharedRowsColumn for diesel::sql_types::Nullable<ST> {}

/// Compiles only for a nullable tenant column: what the derive checks for a
/// model with `#[tenant(shared_rows)]`.
#[doc(hidden)]
pub fn tenant_column_shares_rows<ST: SharedRowsColumn>() {}

mod only_these {
    /// Private: the tenant column's SQL types are this crate's to choose (a SQL
    /// type of the application's, with a `ToSql` of its own, would decide what
    /// the tenant filter binds).
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot be made a tenant column's type by hand",
        label = "a SQL type of the application's",
        note = "the tenant filter binds the tenant id as this type: a `ToSql` written by hand would decide what it compares; tenant columns are `Integer`, `BigInt` or `Uuid` (`NOT NULL`)"
    )]
    pub trait ColumnType {}

    impl ColumnType for diesel::sql_types::BigInt {}
    impl ColumnType for diesel::sql_types::Integer {}
    #[cfg(all(feature = "uuid", feature = "postgres"))]
    impl ColumnType for diesel::sql_types::Uuid {}
    #[cfg(feature = "uuid")]
    impl ColumnType for diesel::sql_types::Text {}
    impl<ST> ColumnType for diesel::sql_types::Nullable<ST> {}
}

/// Declares tables that every tenant shares, with all their columns, so that they
/// can be queried on a [`TenantConn`](crate::TenantConn) through
/// [`global`](crate::global()). On a `TenantConn` they are read-only.
///
/// ```
/// use tenant_diesel::prelude::*;
///
/// diesel::table! {
///     plans (id) {
///         id -> BigInt,
///         name -> Text,
///     }
/// }
///
/// global_table!(plans (id, name));
/// ```
///
/// Every column is listed, in the order of `table!` (the macro checks the list
/// against the table), so that each can be used in a global query and none is
/// overlooked: a column named `tenant_id` or `tenant` in a shared table is refused,
/// because a table that says which tenant owns a row is a tenant table. A shared
/// table that does have such a column (the memberships of users in tenants, say)
/// marks it, visibly: `global_table!(memberships (user_id, #[not_a_tenant_column]
/// tenant_id));`.
///
/// A table cannot be both global and tenant-scoped: declaring a table whose model
/// derives `TenantScoped` is a conflicting-implementations error.
#[macro_export]
macro_rules! global_table {
    ($( $table:ident ( $( $(#[$mark:ident])? $column:ident ),+ $(,)? ) ),+ $(,)?) => {
        $(
            impl $crate::__private::EachTableIsDeclaredOnceByOneModelOrByGlobalTable for $table::table {}
            impl $crate::__private::ImplementedByTenantDieselOnly for $table::table {}
            impl $crate::GlobalTable for $table::table {}
            impl $crate::__private::TableKind for $table::table {
                type Kind = $crate::__private::GlobalKind;
            }
            // The list is every column of the table, in its order.
            const _: fn() = $crate::__private::lists_every_column::<$table::table, ( $( $table::$column, )+ )>;
            $(
                $crate::__global_column!($(#[$mark])? $column);
                impl $crate::__private::ImplementedByTenantDieselOnly<$crate::__private::proof::Column>
                    for $table::$column
                {
                }
                impl<__QS> $crate::TenantSafe<__QS, $crate::__private::proof::Column>
                    for $table::$column
                where
                    __QS: $crate::__private::AppearsInFromClause<
                        $table::table,
                        Count = $crate::__private::Once,
                    >,
                {
                }
            )+
        )+
    };
}

/// `Self`, the columns of a table, are the columns `Listed` (every column, in the
/// order of `table!`).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`global_table!` must list every column of the table, in the order of its `table!`: it has `{Self}`",
    label = "a column is missing, extra or out of order",
    note = "a shared table's columns are listed so that none is overlooked: `global_table!(plans (id, name));`"
)]
pub trait ListsEveryColumn<Listed> {}

impl<Columns> ListsEveryColumn<Columns> for Columns {}

/// Compiles only when `Listed` is every column of `T`.
#[doc(hidden)]
pub fn lists_every_column<T, Listed>()
where
    T: Table,
    T::AllColumns: ListsEveryColumn<Listed>,
{
}

/// Refuses a column of a global table named like a tenant column, unless marked.
#[doc(hidden)]
#[macro_export]
macro_rules! __global_column {
    (#[not_a_tenant_column] $column:ident) => {};
    (#[$other:ident] $column:ident) => {
        ::core::compile_error!(::core::concat!(
            "unknown mark `#[", ::core::stringify!($other), "]` on a column of `global_table!`; the only mark is `#[not_a_tenant_column]`"
        ));
    };
    (tenant_id) => {
        ::core::compile_error!("a global table with a `tenant_id` column: a table that says which tenant owns each row is a tenant table, declared by `#[derive(TenantScoped)]` on its model; if every tenant really shares it, mark the column: `#[not_a_tenant_column] tenant_id`");
    };
    (tenant) => {
        ::core::compile_error!("a global table with a `tenant` column: a table that says which tenant owns each row is a tenant table, declared by `#[derive(TenantScoped)]` on its model; if every tenant really shares it, mark the column: `#[not_a_tenant_column] tenant`");
    };
    ($column:ident) => {};
}
