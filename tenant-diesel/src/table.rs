use diesel::expression::Expression;
use diesel::{Column, Table};

use crate::TenantId;

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
pub trait TenantTable: Table + Default + Copy {
    /// The column that holds the owning tenant's id.
    type TenantColumn: Column<Table = Self> + Default + Expression<SqlType: TenantColumnType>;

    /// The table's SQL name, for generated migrations.
    const TABLE_NAME: &'static str;

    /// `tenant_col = ?`, written out concretely by the derive.
    type TenantEq;

    /// The table filtered by `tenant_col = ?`, written out concretely by the derive
    /// (a generic `dsl::Filter<T, ..>` bound overflows rustc's trait solver).
    type Filtered;

    /// `tenant_col.eq(tenant)`: what a scoped insert stamps on every row.
    #[doc(hidden)]
    fn tenant_eq(tenant: TenantId) -> Self::TenantEq;

    /// `table.filter(tenant_col.eq(tenant))`.
    #[doc(hidden)]
    fn tenant_filter(tenant: TenantId) -> Self::Filtered;
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
    note = "a tenant-owned table is queried through its model: `Account::scoped(&ctx)`; a table every tenant shares is declared once with `global_table!(plans);`"
)]
pub trait GlobalTable: Table + Default + Copy {}

/// Which wall a table stands behind: tenant-scoped or global.
///
/// Both the derive and `global_table!` implement it, so declaring one table both
/// ways is a conflicting-implementations error (E0119).
#[doc(hidden)]
pub trait TableKind {
    type Kind;
}

/// [`TableKind`] of a tenant-scoped table.
#[doc(hidden)]
pub enum TenantKind {}

/// [`TableKind`] of a global table.
#[doc(hidden)]
pub enum GlobalKind {}

/// The SQL types a tenant column may have: those a [`TenantId`] binds to.
#[diagnostic::on_unimplemented(
    message = "a tenant column must be `BigInt`, not `{Self}`",
    label = "tenant ids are 64-bit integers",
    note = "declare the tenant column as `tenant_id -> BigInt` in schema.rs (BIGINT in SQL)"
)]
pub trait TenantColumnType {}

impl TenantColumnType for diesel::sql_types::BigInt {}

/// Declares tables that every tenant shares, so that they can be queried on a
/// [`TenantConn`](crate::TenantConn) through [`global`](crate::global()).
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
/// global_table!(plans);
/// ```
///
/// A table cannot be both global and tenant-scoped: declaring a table whose model
/// derives `TenantScoped` is a conflicting-implementations error.
#[macro_export]
macro_rules! global_table {
    ($( $($segment:ident)::+ ),+ $(,)?) => {
        $(
            impl $crate::GlobalTable for $($segment)::+::table {}
            impl $crate::__private::TableKind for $($segment)::+::table {
                type Kind = $crate::__private::GlobalKind;
            }
        )+
    };
}
