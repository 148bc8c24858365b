use diesel::Column;

use diesel::expression::{AsExpression, TypedExpressionType};
use diesel::query_builder::AsChangeset;
use diesel::sql_types::SqlType;

use crate::safe::TenantSafe;
use crate::seal::ImplementedByTenantDieselOnly;
use crate::table::{ColumnRole, WritableColumnRole};

/// Values that may be written to a tenant table `T` without touching its tenant
/// column: the tenant comes from the context, never from the values.
///
/// Implemented by `#[derive(TenantValues)]`, which refuses a field that maps to
/// the tenant column or holds anything but a value, and builds the values a
/// scoped insert or update sends from those checked fields alone: a hand-written
/// Diesel `Insertable` or `AsChangeset` impl of the struct is never used.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not checked to leave the tenant column of `{T}` alone",
    label = "may write the tenant column",
    note = "derive it: `#[derive(TenantValues)] #[diesel(table_name = ..)]` on the struct (beside Diesel's `Insertable` / `AsChangeset` if you use them elsewhere); it refuses a tenant field, and the scope stamps the tenant from the context",
    note = "to set a single column of a scoped update, use `.set_column(accounts::name, value)`"
)]
pub trait TenantValues<T>: ImplementedByTenantDieselOnly<T> {
    /// What an insert sends: one `column = value` per checked field, built by the
    /// derive from the fields it checked (never from a hand-written `Insertable`
    /// impl, which could name the tenant column).
    #[doc(hidden)]
    type InsertValues;
    /// What an update sets, built the same way (never from a hand-written
    /// `AsChangeset` impl).
    #[doc(hidden)]
    type Changes;
    /// The insert's values, with Diesel's `Insertable` semantics: a `None` field
    /// is the column's `DEFAULT` unless `#[diesel(treat_none_as_default_value = false)]`.
    #[doc(hidden)]
    fn insert_values(self) -> Self::InsertValues;
    /// The update's changes, with Diesel's `AsChangeset` semantics: a `None` field
    /// is left alone unless `#[diesel(treat_none_as_null = true)]`, and the primary
    /// key is never set.
    #[doc(hidden)]
    fn changes(self) -> Self::Changes;
}

/// The checked changes of a `TenantValues` struct, as an update (or an
/// upsert's `DO UPDATE`) sets them.
pub(crate) type Changes<T, V> = <<V as TenantValues<T>>::Changes as AsChangeset>::Changeset;

/// A column a scoped update may set: every column of the model except the tenant
/// column, so that no update can move a row to another tenant.
///
/// Every column `#[derive(TenantScoped)]` gives the writable role: the model's
/// columns but the tenant column. It cannot be implemented by hand (the blanket
/// impl below would conflict), and a column's role is written once.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be written by a tenant-scoped insert or update",
    label = "not a writable column",
    note = "the tenant column never changes through a scoped write: a row cannot move to another tenant; the other columns are writable once they are fields of the model that derives `TenantScoped`"
)]
pub trait WritableColumn: Column + only_writable::HasTheWritableRole {}

/// Private, so that a column is writable for its role alone. Its message is the
/// one a hand-written `impl WritableColumn for accounts::tenant_id {}` reports,
/// rather than "type mismatch resolving `<tenant_id as ColumnRole>::Role ==
/// WritableColumnRole`": a mismatch of an associated type is reported as such,
/// whatever impl it comes from, so the role is checked by a trait bound on it.
mod only_writable {
    use crate::table::{ColumnRole, WritableColumnRole};

    /// A column whose role, written by the derive, is the writable role.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a writable column, and an impl by hand does not make it one",
        label = "its role, written once by `#[derive(TenantScoped)]`, is not the writable role",
        note = "`#[derive(TenantScoped)]` makes every field of the model but the tenant column writable; the tenant column never is, so that no write moves a row to another tenant: remove the hand-written `impl WritableColumn`"
    )]
    pub trait HasTheWritableRole {}

    #[diagnostic::do_not_recommend]
    impl<C> HasTheWritableRole for C
    where
        C: ColumnRole,
        C::Role: Role,
    {
    }

    /// The writable role.
    pub trait Role {}

    impl Role for WritableColumnRole {}
}

// The only impl: a column is writable when its one role, written by the derive,
// is the writable role. A hand-written impl for the tenant column cannot hold
// (its role is the tenant role, and a second role would conflict).
#[diagnostic::do_not_recommend]
impl<C> WritableColumn for C where C: Column + ColumnRole<Role = WritableColumnRole> {}

/// A field of a `TenantValues` struct writes a column a scoped write may set.
#[doc(hidden)]
pub fn values_column_is_writable<C: WritableColumn>() {}

/// A field of a `TenantValues` struct holds a Rust value, or an expression of the
/// table's own columns: never a subquery (which would copy another tenant's data
/// into this row).
#[doc(hidden)]
pub fn values_field_is_a_value<V, C, T, Proof>()
where
    C: Column,
    C::SqlType: SqlType + TypedExpressionType,
    V: AsExpression<C::SqlType>,
    V::Expression: TenantSafe<T, Proof>,
{
}

/// An embedded struct of a `TenantValues` struct is checked the same way.
#[doc(hidden)]
pub fn values_embed<V: TenantValues<T>, T>() {}
