//! Subqueries that are scoped queries themselves: `WHERE x IN (SELECT ..)` and
//! `WHERE EXISTS (SELECT ..)` whose inner query is a [`Scoped`] query, built by a
//! model's `scoped(&ctx)` (or `global(..)`) like any other.
//!
//! Every table inside carries its own tenant filter, which is the routing rule a
//! distributed engine such as Citus needs (a subquery without its own `tenant =
//! ?` fans out to every shard). The inner query's tenant is checked with the
//! outer's: a subquery scoped to another tenant is a [`TenantMismatch`](crate::TenantMismatch)
//! when the statement is run, before any SQL is sent. A raw Diesel subquery
//! stays refused everywhere: these methods take a `Scoped` query and nothing
//! else.

use diesel::dsl;
use diesel::expression::Expression;
// Diesel names the trait of `IN`'s right side only here.
use diesel::internal::derives::multiconnection::array_comparison::AsInExpression;
use diesel::internal::table_macro::{BoxedSelectStatement, SelectStatement};
use diesel::query_dsl::methods::FilterDsl;
use diesel::sql_types::SingleValue;
use diesel::ExpressionMethods;

use crate::run_dsl::only_scoped;
use crate::scoped::SubqueryTenants;
use crate::{AnyTenantId, Scoped, TenantSafe};

/// A query that may be a subquery of a scoped query: a scoped read itself.
///
/// Sealed outright: an impl for a raw Diesel query would put every tenant's rows
/// in the subquery.
#[diagnostic::on_unimplemented(
    message = "a subquery of a tenant-scoped query is a scoped read, not `{Self}`",
    label = "not a read built by `Model::scoped(&ctx)` or `global(..)`",
    note = "build the inner query from its model like the outer one: `.filter_in(accounts::id, Invoice::scoped(&ctx).select(invoices::account_id))`, which filters it by the tenant and checks that tenant with the outer query's; an insert, update or delete is not a subquery"
)]
pub trait ScopedSubquery: Sized + only_scoped::Scoped {
    /// The Diesel query inside.
    #[doc(hidden)]
    type Query;

    /// The query, its tenant and the tenants of its own subqueries.
    #[doc(hidden)]
    fn into_subquery(self) -> (Self::Query, Option<AnyTenantId>, SubqueryTenants);
}

// Implemented for the two kinds of read a scope builds, by their types, so
// that a scoped write has no impl at all and the compiler reports this trait's
// message alone.
impl<T, F, S, D, W, O, L, G, H, LC, M> ScopedSubquery
    for Scoped<T, SelectStatement<F, S, D, W, O, L, G, H, LC>, M>
{
    type Query = SelectStatement<F, S, D, W, O, L, G, H, LC>;

    fn into_subquery(self) -> (Self::Query, Option<AnyTenantId>, SubqueryTenants) {
        self.into_parts()
    }
}

impl<'a, T, ST, QS, DB, GB, M> ScopedSubquery
    for Scoped<T, BoxedSelectStatement<'a, ST, QS, DB, GB>, M>
{
    type Query = BoxedSelectStatement<'a, ST, QS, DB, GB>;

    fn into_subquery(self) -> (Self::Query, Option<AnyTenantId>, SubqueryTenants) {
        self.into_parts()
    }
}

/// A scope with one more filter, `P`.
type WithFilter<S, Q, P, M> = Scoped<S, dsl::Filter<Q, P>, M>;

impl<S, Q, M> Scoped<S, Q, M> {
    /// Adds `AND expr IN (subquery)`, where `subquery` is a scoped query of one
    /// column: `Account::scoped(&ctx).filter_in(accounts::id,
    /// Invoice::scoped(&ctx).filter(invoices::paid.eq(false)).select(invoices::account_id))`.
    ///
    /// `expr` is checked like a filter; the subquery's tenant must be this
    /// query's (else the statement fails with `TenantMismatch`, unsent).
    pub fn filter_in<E, Proof, Sub>(
        self,
        expr: E,
        subquery: Sub,
    ) -> WithFilter<S, Q, dsl::EqAny<E, Sub::Query>, M>
    where
        E: ExpressionMethods + TenantSafe<S, Proof>,
        E::SqlType: SingleValue,
        Sub: ScopedSubquery,
        Sub::Query: AsInExpression<E::SqlType>,
        Q: FilterDsl<dsl::EqAny<E, Sub::Query>>,
    {
        let (outer, inner) = self.with_subquery(subquery);
        outer.map(|query| query.filter(expr.eq_any(inner)))
    }

    /// Adds `AND expr NOT IN (subquery)`; see [`filter_in`](Scoped::filter_in).
    pub fn filter_not_in<E, Proof, Sub>(
        self,
        expr: E,
        subquery: Sub,
    ) -> WithFilter<S, Q, dsl::NeAny<E, Sub::Query>, M>
    where
        E: ExpressionMethods + TenantSafe<S, Proof>,
        E::SqlType: SingleValue,
        Sub: ScopedSubquery,
        Sub::Query: AsInExpression<E::SqlType>,
        Q: FilterDsl<dsl::NeAny<E, Sub::Query>>,
    {
        let (outer, inner) = self.with_subquery(subquery);
        outer.map(|query| query.filter(expr.ne_all(inner)))
    }

    /// Adds `AND EXISTS (subquery)`, where `subquery` is a scoped query.
    pub fn filter_exists<Sub>(self, subquery: Sub) -> WithFilter<S, Q, dsl::exists<Sub::Query>, M>
    where
        Sub: ScopedSubquery,
        Q: FilterDsl<dsl::exists<Sub::Query>>,
    {
        let (outer, inner) = self.with_subquery(subquery);
        outer.map(|query| query.filter(dsl::exists(inner)))
    }

    /// Adds `AND NOT EXISTS (subquery)`; see [`filter_exists`](Scoped::filter_exists).
    pub fn filter_not_exists<Sub>(
        self,
        subquery: Sub,
    ) -> WithFilter<S, Q, dsl::not<dsl::exists<Sub::Query>>, M>
    where
        Sub: ScopedSubquery,
        dsl::exists<Sub::Query>: Expression,
        <dsl::exists<Sub::Query> as Expression>::SqlType: diesel::sql_types::BoolOrNullableBool,
        Q: FilterDsl<dsl::not<dsl::exists<Sub::Query>>>,
    {
        let (outer, inner) = self.with_subquery(subquery);
        outer.map(|query| query.filter(dsl::not(dsl::exists(inner))))
    }
}
