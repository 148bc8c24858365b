//! Rows every tenant shares: a nullable tenant column whose `NULL` rows are
//! installation-wide (default labels, templates), declared on the model with
//! `#[tenant(column = account_id, shared_rows)]`.
//!
//! The model's `scoped(&ctx)` stays the tenant's own rows, for reads and
//! writes. `scoped_with_shared_rows(&ctx)` reads the tenant's rows and the
//! shared ones (`WHERE (account_id = ? OR account_id IS NULL)`), and is
//! read-only: no insert, update or delete starts from it, so a tenant's write can
//! neither create, change nor delete a shared row (an insert is stamped with the
//! tenant, never `NULL`, and an update cannot set the tenant column). On
//! PostgreSQL the policies match: the shared rows are visible to `SELECT` only.

use crate::scoped::{widened_tenant, ReadsSharedRows, Scoped};
use crate::seal::ImplementedByTenantDieselOnly;
use crate::table::TenantTable;
use tenant_core::{AsTenantCtx, TenantId, WidensTo};

/// A tenant table whose `NULL`-tenant rows every tenant reads: written by
/// `#[derive(TenantScoped)]` with `#[tenant(shared_rows)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no rows shared by every tenant",
    label = "its model does not say `#[tenant(shared_rows)]`",
    note = "a table whose `NULL`-tenant rows every tenant shares says so on its model: `#[tenant(column = account_id, shared_rows)]` (the column must be nullable)"
)]
pub trait SharedRowsTable: TenantTable + ImplementedByTenantDieselOnly<SharedRowsSeal> {
    /// The table filtered by `tenant_col = ? OR tenant_col IS NULL`, written
    /// out concretely by the derive.
    type SharedFiltered;

    /// `table.filter(tenant_col.eq(tenant).or(tenant_col.is_null()))`.
    #[doc(hidden)]
    fn shared_filter(tenant: TenantId<Self::Id>) -> Self::SharedFiltered;
}

/// The seal of [`SharedRowsTable`]: written by the derive beside it. A
/// hand-written impl would decide what the read-only scope reads, and run it
/// on a tenant's connection.
#[doc(hidden)]
pub enum SharedRowsSeal {}

/// Starts the read-only scope of a shared-rows table: the tenant's rows and the
/// shared ones. The context's ids must fit the table's, as for `scope`.
#[doc(hidden)]
pub fn scope_with_shared_rows<T, C>(ctx: &C) -> Scoped<T, T::SharedFiltered, ReadsSharedRows>
where
    T: SharedRowsTable,
    C: AsTenantCtx + ?Sized,
    C::Id: WidensTo<T::Id>,
{
    let tenant = widened_tenant::<T::Id, C>(ctx);
    Scoped::new(T::shared_filter(tenant), Some(tenant.erase()))
}

/// Implemented by nothing: the bound that makes `scoped_with_shared_rows` on a
/// model without shared rows a compile error that explains itself.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no rows shared by every tenant",
    label = "its model does not say `#[tenant(shared_rows)]`",
    note = "read the tenant's rows with `Model::scoped(&ctx)`; a table whose `NULL`-tenant rows every tenant shares says so on its model: `#[tenant(column = account_id, shared_rows)]` (the column must be nullable)"
)]
pub trait NoSharedRows: crate::seal::never::Implemented {}

/// `Model::scoped_with_shared_rows` on every model, found only where the model
/// has none of its own (the derive writes one for `#[tenant(shared_rows)]`, and
/// an inherent function is found first): a compile error that says why. In
/// the prelude. One impl here rather than a refusal written into every model,
/// which would cost each derive.
pub trait SharedRowsOfAModel {
    /// Not available: see [`NoSharedRows`].
    fn scoped_with_shared_rows<C: ?Sized>(ctx: &C) -> std::convert::Infallible
    where
        Self: NoSharedRows,
    {
        let _ = ctx;
        unreachable!("the bound above is implemented by nothing")
    }
}

impl<M> SharedRowsOfAModel for M {}

/// Implemented by nothing: the bound that makes a write through a scope that
/// reads shared rows a compile error that explains itself.
#[diagnostic::on_unimplemented(
    message = "a scope that reads the shared rows only reads",
    label = "a write from here could create, change or delete a row every tenant shares",
    note = "write through the tenant's own scope: `Model::scoped(&ctx).insert(..)`, `.update(id)`, `.delete(id)`; it never reaches a shared row",
    note = "the shared rows themselves are the installation's, written through an audited `AdminConn`"
)]
pub trait NoWritesThroughSharedRows: crate::seal::never::Implemented {}

/// The writes and joins a read-only scope does not have, each a compile error
/// that says why (the methods of the tenant's own scope are on `ReadWrite`).
impl<T, Q> Scoped<T, Q, ReadsSharedRows> {
    /// Not available: see [`NoWritesThroughSharedRows`].
    pub fn insert<V: NoWritesThroughSharedRows>(self, values: V) -> Self {
        let _ = values;
        self
    }

    /// Not available: see [`NoWritesThroughSharedRows`].
    pub fn insert_all<I: NoWritesThroughSharedRows>(self, rows: I) -> Self {
        let _ = rows;
        self
    }

    /// Not available: see [`NoWritesThroughSharedRows`].
    pub fn update<K: NoWritesThroughSharedRows>(self, id: K) -> Self {
        let _ = id;
        self
    }

    /// Not available: see [`NoWritesThroughSharedRows`].
    pub fn update_all(self) -> Self
    where
        Self: NoWritesThroughSharedRows,
    {
        self
    }

    /// Not available: see [`NoWritesThroughSharedRows`].
    pub fn delete<K: NoWritesThroughSharedRows>(self, id: K) -> Self {
        let _ = id;
        self
    }

    /// Not available: see [`NoWritesThroughSharedRows`].
    pub fn delete_all(self) -> Self
    where
        Self: NoWritesThroughSharedRows,
    {
        self
    }
}
