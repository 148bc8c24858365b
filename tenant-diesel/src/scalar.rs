//! A scoped query as a scalar subquery, `(SELECT .. LIMIT 1)`, usable in any
//! expression slot of a scoped query (a selection, a filter, an ordering):
//! `Invoice::scoped(&ctx).correlated::<accounts::table>()
//! .filter(invoices::account_id.eq(accounts::id)).count().single_value()`.
//!
//! In an arbitrary expression the outer query cannot see the subquery's tenant
//! (Diesel's expression nodes keep their children private), so the subquery
//! checks it itself: a tenant's connection names its tenant for the time it
//! builds a statement, and the subquery refuses to be written into a statement
//! for another tenant. The statement is then never sent (on PostgreSQL the unit
//! of work's transaction, already opened, rolls back).

use std::cell::Cell;

use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::query_dsl::methods::SingleValueDsl;
use diesel::result::{Error, QueryResult};

use crate::error::TenantMismatch;
use crate::safe::{proof, TenantSafe};
use crate::scoped::{Scoped, SubqueryTenants};
use crate::seal::ImplementedByTenantDieselOnly;
use crate::subquery::{Correlation, HoldsTheOuterTable};
use diesel::internal::table_macro::{BoxedSelectStatement, SelectStatement};
use tenant_core::AnyTenantId;

thread_local! {
    /// The tenant of the unit of work building a statement on this thread.
    static BUILDING_FOR: Cell<Option<AnyTenantId>> = const { Cell::new(None) };
}

/// Runs `build` with `tenant` named as the tenant statements are built for, as
/// a tenant's connection runs a statement; restores the previous one after.
pub(crate) fn building_for<R>(tenant: AnyTenantId, build: impl FnOnce() -> R) -> R {
    struct Restore(Option<AnyTenantId>);
    impl Drop for Restore {
        fn drop(&mut self) {
            BUILDING_FOR.with(|current| current.set(self.0));
        }
    }
    let _restore = Restore(BUILDING_FOR.with(|current| current.replace(Some(tenant))));
    build()
}

/// A future that names `tenant` as the tenant statements are built for, each
/// time it is polled: diesel-async builds a statement inside a poll, and a task
/// may move between threads from one poll to the next.
#[cfg(feature = "async")]
pub(crate) struct BuildingFor<F> {
    tenant: AnyTenantId,
    inner: std::pin::Pin<Box<F>>,
}

#[cfg(feature = "async")]
impl<F: std::future::Future> BuildingFor<F> {
    /// `inner`, polled with `tenant` named.
    pub(crate) fn new(tenant: AnyTenantId, inner: F) -> Self {
        Self {
            tenant,
            inner: Box::pin(inner),
        }
    }
}

#[cfg(feature = "async")]
impl<F: std::future::Future> std::future::Future for BuildingFor<F> {
    type Output = F::Output;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<F::Output> {
        let tenant = self.tenant;
        building_for(tenant, || self.inner.as_mut().poll(cx))
    }
}

/// A scoped query as a scalar subquery: Diesel's `single_value()` of it, with
/// its tenant. Built by [`Scoped::single_value`].
#[derive(Debug, Clone, Copy)]
pub struct ScopedSingleValue<Inner, Outer> {
    inner: Inner,
    /// Its own tenant and its scoped subqueries'.
    tenants: SubqueryTenants,
    outer: std::marker::PhantomData<Outer>,
}

/// `Self`, the query inside a scope, is a read: what a scalar subquery is made
/// of. Implemented for the reads a scope builds, by their types.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "a scalar subquery is a scoped read of one column, not `{Self}`",
    label = "an insert, update or delete is not a subquery",
    note = "select the one value from the scoped read: `Invoice::scoped(&ctx).filter(..).count().single_value()`"
)]
pub trait ScalarRead: SingleValueDsl {}

impl<F, S, D, W, O, L, G, H, LC> ScalarRead for SelectStatement<F, S, D, W, O, L, G, H, LC> where
    Self: SingleValueDsl
{
}

impl<'a, ST, QS, DB, GB> ScalarRead for BoxedSelectStatement<'a, ST, QS, DB, GB> where
    Self: SingleValueDsl
{
}

impl<T, Q, M> Scoped<T, Q, M> {
    /// `(SELECT .. LIMIT 1)` of this scoped query of one column, as an
    /// expression of another scoped query: a scalar subquery (Diesel's
    /// `single_value`). Correlate it with `correlated::<outer_table>()` to read
    /// the outer row. The value is `NULL` when the subquery finds no row.
    ///
    /// A subquery of another tenant (or holding a scoped subquery of one) is
    /// refused when the statement is built, so it is never sent.
    // The scalar is a parameter of its own, not `Q::Output`, so that a scope
    // of a write reads `ScalarRead`'s message rather than "no such method".
    pub fn single_value<Scalar>(self) -> ScopedSingleValue<Scalar, T::Outer>
    where
        Q: ScalarRead<Output = Scalar>,
        T: Correlation,
    {
        // The tenants of its own scoped subqueries travel with it, checked
        // with its own.
        let (query, tenant, subqueries) = self.into_parts();
        let tenants = match tenant {
            Some(tenant) => subqueries.with(tenant),
            None => subqueries,
        };
        ScopedSingleValue {
            inner: query.single_value(),
            tenants,
            outer: std::marker::PhantomData,
        }
    }
}

impl<Inner: Expression, Outer> Expression for ScopedSingleValue<Inner, Outer> {
    type SqlType = Inner::SqlType;
}

impl<Inner, Outer, QS> AppearsOnTable<QS> for ScopedSingleValue<Inner, Outer>
where
    Inner: AppearsOnTable<QS>,
    Self: Expression,
{
}

impl<Inner, Outer, QS> SelectableExpression<QS> for ScopedSingleValue<Inner, Outer>
where
    Inner: SelectableExpression<QS>,
    Self: AppearsOnTable<QS>,
{
}

impl<Inner, Outer, GB> ValidGrouping<GB> for ScopedSingleValue<Inner, Outer>
where
    Inner: ValidGrouping<GB>,
{
    type IsAggregate = Inner::IsAggregate;
}

impl<Inner: QueryId, Outer: 'static> QueryId for ScopedSingleValue<Inner, Outer> {
    type QueryId = Inner::QueryId;
    const HAS_STATIC_QUERY_ID: bool = Inner::HAS_STATIC_QUERY_ID;
}

impl<Inner, Outer, DB> QueryFragment<DB> for ScopedSingleValue<Inner, Outer>
where
    DB: Backend,
    Inner: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let other = BUILDING_FOR
            .with(Cell::get)
            .and_then(|connection| Some((self.tenants.other_than(connection)?, connection)));
        match other {
            Some((query, connection)) => Err(Error::QueryBuilderError(Box::new(TenantMismatch {
                query,
                connection,
            }))),
            None => self.inner.walk_ast(pass),
        }
    }
}

impl<Inner, Outer> ImplementedByTenantDieselOnly<proof::ScalarSubquery>
    for ScopedSingleValue<Inner, Outer>
{
}

/// A scoped scalar subquery, in a query that holds the table it is correlated
/// with (if any); its tenant is checked when the statement is built.
impl<QS, Inner, Outer> TenantSafe<QS, proof::ScalarSubquery> for ScopedSingleValue<Inner, Outer> where
    QS: HoldsTheOuterTable<Outer>
{
}
