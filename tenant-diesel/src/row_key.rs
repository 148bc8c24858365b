//! The columns that find one row of a table within its tenant: what `find(id)`,
//! `update(id)`, `delete(id)` compare, and what a declared join's `ON` matches a
//! foreign key with.
//!
//! A tenant table's primary key is either one column (`accounts (id)`) or, as
//! distributed databases such as Citus need it, the tenant column and one column
//! (`accounts (tenant_id, id)`, what `diesel print-schema` writes for that key).
//! Either way the row key is the column that is not the tenant column: the tenant
//! comes from the context, so `find(42)` is `WHERE tenant_id = ? AND id = ?` for
//! both. A shared table's row key is its primary key.

use diesel::Table;

use crate::table::{GlobalKind, TableKind, TenantKind, ThroughKind};

/// `Self`, the primary key of the tenant table `T`, without its tenant column.
///
/// `#[derive(TenantScoped)]` implements it for each shape a key may have: every
/// column of the model but the tenant column, alone, and paired with the tenant
/// column in either order.
#[diagnostic::on_unimplemented(
    message = "the primary key `{Self}` of `{T}` is neither one column nor the tenant column and one column",
    label = "no row key without the tenant column",
    note = "`find(id)`, `update(id)`, `delete(id)` and declared joins take the key without the tenant column, which comes from the context; for a key of another shape, filter on its columns: `.filter(a.eq(..).and(b.eq(..)))`"
)]
pub trait KeyWithoutTenant<T> {
    /// The key's column that is not the tenant column.
    type Key;
}

/// The row key of a table of kind `Self` (tenant or global).
#[doc(hidden)]
pub trait RowKeyOfKind<T> {
    /// The row key.
    type Key;
}

impl<T> RowKeyOfKind<T> for TenantKind
where
    T: Table,
    T::PrimaryKey: KeyWithoutTenant<T>,
{
    type Key = <T::PrimaryKey as KeyWithoutTenant<T>>::Key;
}

impl<T: Table> RowKeyOfKind<T> for GlobalKind {
    type Key = T::PrimaryKey;
}

impl<T: Table> RowKeyOfKind<T> for ThroughKind {
    type Key = T::PrimaryKey;
}

/// The row key of `T`: its primary key without the tenant column.
pub type RowKey<T> = <<T as TableKind>::Kind as RowKeyOfKind<T>>::Key;

/// Compiles only when `T`'s row key is one of `T`'s own columns, as the derive and
/// `global_table!` declare them: a declared join compares the foreign key with
/// it in `ON`, where no expression check runs, so a key type written by hand
/// (SQL text of its own) must not get there.
#[doc(hidden)]
pub fn assert_row_key_is_a_column<T>()
where
    T: TableKind,
    T::Kind: RowKeyOfKind<T>,
    RowKey<T>: crate::safe::TenantSafe<T, crate::safe::proof::Column>,
{
}
