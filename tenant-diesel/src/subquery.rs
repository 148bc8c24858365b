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
use diesel::internal::table_macro::JoinOn;
use diesel::internal::table_macro::{BoxedSelectStatement, SelectStatement};
use diesel::query_dsl::methods::FilterDsl;
use diesel::query_source::{AppearsInFromClause, Once, Plus};

use crate::safe::TenantSafe;
use crate::scoped::{only_scoped, Scoped, SubqueryTenants};
use crate::table::TableKind;
use diesel::sql_types::SingleValue;
use diesel::ExpressionMethods;
use std::marker::PhantomData;
use tenant_core::AnyTenantId;

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

    /// The table a correlated subquery reads the outer row of
    /// ([`Scoped::correlated`]), or [`Uncorrelated`].
    #[doc(hidden)]
    type Outer;

    /// The query, its tenant and the tenants of its own subqueries.
    #[doc(hidden)]
    fn into_subquery(self) -> (Self::Query, Option<AnyTenantId>, SubqueryTenants);
}

// Implemented for the two kinds of read a scope builds, by their types, so
// that a scoped write has no impl at all and the compiler reports this trait's
// message alone.
impl<T, F, S, D, W, O, L, G, H, LC, M> ScopedSubquery
    for Scoped<T, SelectStatement<F, S, D, W, O, L, G, H, LC>, M>
where
    T: Correlation,
{
    type Query = SelectStatement<F, S, D, W, O, L, G, H, LC>;
    type Outer = T::Outer;

    fn into_subquery(self) -> (Self::Query, Option<AnyTenantId>, SubqueryTenants) {
        self.into_parts()
    }
}

impl<'a, T, ST, QS, DB, GB, M> ScopedSubquery
    for Scoped<T, BoxedSelectStatement<'a, ST, QS, DB, GB>, M>
where
    T: Correlation,
{
    type Query = BoxedSelectStatement<'a, ST, QS, DB, GB>;
    type Outer = T::Outer;

    fn into_subquery(self) -> (Self::Query, Option<AnyTenantId>, SubqueryTenants) {
        self.into_parts()
    }
}

/// The tables a correlated subquery's expressions may read: its own, `Inner`,
/// and the outer query's, `Outer` (see [`Scoped::correlated`]).
#[derive(Debug)]
pub struct Correlated<Inner, Outer>(PhantomData<(Inner, Outer)>);

/// A table is among a correlated subquery's tables once when it is once among
/// the inner's and the outer's together: a table of both is ambiguous, and
/// its columns are refused.
impl<X, Inner, Outer> AppearsInFromClause<X> for Correlated<Inner, Outer>
where
    Inner: AppearsInFromClause<X>,
    Outer: AppearsInFromClause<X>,
    Inner::Count: Plus<Outer::Count>,
{
    type Count = <Inner::Count as Plus<Outer::Count>>::Output;
}

impl<S, Q, M> Scoped<S, Q, M> {
    /// Lets this query's expressions read the columns of `Outer`, the tables of
    /// the query it will be a subquery of: `Invoice::scoped(&ctx)
    /// .correlated::<accounts::table>().filter(invoices::account_id.eq(accounts::id))`,
    /// for `.filter_exists(..)` on `Account::scoped(&ctx)`.
    ///
    /// The outer columns name the outer query's row, which its own tenant
    /// filter already holds to the tenant; Diesel checks, where the subquery
    /// is put in, that `Outer` is among the outer query's tables. A correlated
    /// query runs only as a subquery, and neither writes nor joins.
    pub fn correlated<Outer>(self) -> Scoped<Correlated<S, Outer>, Q, M> {
        self.map_to(|query| query)
    }
}

/// Which outer table a scope's expressions read besides its own: none, or the
/// `Outer` of [`Correlated`].
#[doc(hidden)]
pub trait Correlation {
    /// The outer table, or [`Uncorrelated`].
    type Outer;
}

/// [`Correlation::Outer`] of a query that reads its own tables only.
#[doc(hidden)]
#[derive(Debug)]
pub enum Uncorrelated {}

impl<T: TableKind> Correlation for T {
    type Outer = Uncorrelated;
}

impl<J, On> Correlation for JoinOn<J, On> {
    type Outer = Uncorrelated;
}

impl<Inner, Outer> Correlation for Correlated<Inner, Outer> {
    type Outer = Outer;
}

/// `Self`, the tables of the query a subquery is put in, include the table
/// `Outer` the subquery is correlated with.
#[doc(hidden)]
pub trait HoldsTheOuterTable<Outer> {}

impl<S> HoldsTheOuterTable<Uncorrelated> for S {}

impl<S, Outer> HoldsTheOuterTable<Outer> for S
where
    Outer: diesel::Table,
    S: AppearsInFromClause<Outer>,
    S::Count: OnceAmongTheOuterTables<Outer>,
{
}

/// `Self`, how often `Outer` is among the outer query's tables, is once.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "the subquery is correlated with `{Outer}`, which is not one of this query's tables",
    label = "the outer row it reads is not this query's",
    note = "correlate the subquery with a table of the query it is put in: `Invoice::scoped(&ctx).correlated::<accounts::table>()` inside `Account::scoped(&ctx).filter_exists(..)`"
)]
pub trait OnceAmongTheOuterTables<Outer> {}

impl<Outer> OnceAmongTheOuterTables<Outer> for Once {}

/// A scope with one more filter, `P`.
impl<S, Q, M> Scoped<S, Q, M> {
    /// Takes `inner`, a scoped query, apart to use it as a subquery of this
    /// one: its query, and this scope with its tenants noted.
    pub(crate) fn with_subquery<Sub: ScopedSubquery>(self, inner: Sub) -> (Self, Sub::Query) {
        let (query, tenant, theirs) = inner.into_subquery();
        (self.with_subquery_tenants(tenant, theirs), query)
    }
}

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
        S: HoldsTheOuterTable<Sub::Outer>,
        Sub::Query: AsInExpression<E::SqlType>,
        Q: FilterDsl<dsl::EqAny<E, Sub::Query>>,
    {
        self.filter_by(subquery, |inner| expr.eq_any(inner))
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
        S: HoldsTheOuterTable<Sub::Outer>,
        Sub::Query: AsInExpression<E::SqlType>,
        Q: FilterDsl<dsl::NeAny<E, Sub::Query>>,
    {
        self.filter_by(subquery, |inner| expr.ne_all(inner))
    }

    /// Adds `AND EXISTS (subquery)`, where `subquery` is a scoped query.
    pub fn filter_exists<Sub>(self, subquery: Sub) -> WithFilter<S, Q, dsl::exists<Sub::Query>, M>
    where
        Sub: ScopedSubquery,
        S: HoldsTheOuterTable<Sub::Outer>,
        Q: FilterDsl<dsl::exists<Sub::Query>>,
    {
        self.filter_by(subquery, dsl::exists)
    }

    /// Adds `AND NOT EXISTS (subquery)`; see [`filter_exists`](Scoped::filter_exists).
    pub fn filter_not_exists<Sub>(
        self,
        subquery: Sub,
    ) -> WithFilter<S, Q, dsl::not<dsl::exists<Sub::Query>>, M>
    where
        Sub: ScopedSubquery,
        S: HoldsTheOuterTable<Sub::Outer>,
        dsl::exists<Sub::Query>: Expression,
        <dsl::exists<Sub::Query> as Expression>::SqlType: diesel::sql_types::BoolOrNullableBool,
        Q: FilterDsl<dsl::not<dsl::exists<Sub::Query>>>,
    {
        self.filter_by(subquery, |inner| dsl::not(dsl::exists(inner)))
    }

    /// Adds `AND predicate(subquery)`, the subquery's tenants noted with this
    /// query's: what each of the methods above builds.
    fn filter_by<Sub, P>(
        self,
        subquery: Sub,
        predicate: impl FnOnce(Sub::Query) -> P,
    ) -> WithFilter<S, Q, P, M>
    where
        Sub: ScopedSubquery,
        Q: FilterDsl<P>,
    {
        let (outer, inner) = self.with_subquery(subquery);
        outer.map(|query| query.filter(predicate(inner)))
    }
}
