//! Diesel's `QueryDsl` named on a scoped query (`diesel::QueryDsl::or_filter(scope,
//! ..)`, or a method a scope does not have, with Diesel's prelude in scope).
//!
//! Without this impl the compiler tries Diesel's blanket impls for tables on the
//! scope and gives up with "overflow evaluating the requirement `_: Sized`",
//! advising a recursion limit that does not help. With it, each method resolves to
//! one of Diesel's method traits, which a scope implements only where it can say
//! why the method is refused; for the others the error names the missing trait.
//! Nothing here makes a Diesel method work on a scope.

use diesel::expression::Expression;
use diesel::query_dsl::methods::{
    BoxedDsl, DistinctDsl, FilterDsl, FindDsl, GroupByDsl, HavingDsl, LimitDsl, LockingDsl,
    OffsetDsl, OrFilterDsl, OrderDsl, SelectDsl, SelectNullableDsl, SingleValueDsl, ThenOrderDsl,
};
use diesel::query_dsl::InternalJoinDsl;
use diesel::JoinTo;

use crate::scoped::{
    NoDieselFindOnScopedQueries, NoDieselJoinOnScopedQueries, NoDieselMethodOnScopedQueries,
    NoOrFilterOnScopedQueries, Scoped,
};

impl<T, Q, M> diesel::QueryDsl for Scoped<T, Q, M> {}

impl<T, Q, M, P> OrFilterDsl<P> for Scoped<T, Q, M>
where
    P: NoOrFilterOnScopedQueries,
{
    type Output = Self;

    fn or_filter(self, _: P) -> Self {
        self
    }
}

// `diesel::QueryDsl::inner_join(scope, table)` / `left_join`: Diesel looks for
// `JoinTo` and then `InternalJoinDsl` on the scope. Both are implemented here
// with a bound nothing satisfies, so the error is the library's sentence naming
// the scope's own `inner_join`, not an overflow.
impl<T, Q, M, Rhs> JoinTo<Rhs> for Scoped<T, Q, M>
where
    Rhs: NoDieselJoinOnScopedQueries,
{
    type FromClause = Rhs;
    type OnClause = ();

    fn join_target(rhs: Rhs) -> (Rhs, ()) {
        (rhs, ())
    }
}

impl<T, Q, M, Rhs, Kind, On> InternalJoinDsl<Rhs, Kind, On> for Scoped<T, Q, M>
where
    Rhs: NoDieselJoinOnScopedQueries,
{
    type Output = Self;

    fn join(self, _: Rhs, _: Kind, _: On) -> Self {
        self
    }
}

/// Diesel's method traits, for `diesel::QueryDsl::select(scope, ..)` and the like:
/// each implemented under a bound that nothing meets, so the error names the
/// scope's own method instead of ending in an overflow. The bound sits on the
/// method's argument where there is one (the compiler then reports it first).
macro_rules! refuse_diesel_method {
    ($($trait:ident<$param:ident $(: $bound:path)?>::$method:ident($($ty:ty)?);)*) => {$(
        impl<T, Q, M, $param $(: $bound)?> $trait<$param> for Scoped<T, Q, M>
        where
            $param: NoDieselMethodOnScopedQueries,
        {
            type Output = Self;

            fn $method(self $(, _: $ty)?) -> Self {
                self
            }
        }
    )*};
    ($($trait:ident::$method:ident();)*) => {$(
        impl<T, Q, M> $trait for Scoped<T, Q, M>
        where
            Self: NoDieselMethodOnScopedQueries,
        {
            type Output = Self;

            fn $method(self) -> Self {
                self
            }
        }
    )*};
}

refuse_diesel_method! {
    SelectDsl<S: Expression>::select(S);
    FilterDsl<P>::filter(P);
    OrderDsl<E: Expression>::order(E);
    ThenOrderDsl<E>::then_order_by(E);
    GroupByDsl<E: Expression>::group_by(E);
    HavingDsl<P>::having(P);
    LockingDsl<L>::with_lock(L);
    LimitDsl<I>::limit(i64);
    OffsetDsl<I>::offset(i64);
}

refuse_diesel_method! {
    DistinctDsl::distinct();
    SingleValueDsl::single_value();
    SelectNullableDsl::nullable();
}

// `find` has a refusal of its own: the compiler also lands here when the scope's
// own `find` does not apply, which happens when the table's primary key has no
// single column besides the tenant column.
impl<T, Q, M, PK> FindDsl<PK> for Scoped<T, Q, M>
where
    PK: NoDieselFindOnScopedQueries,
{
    type Output = Self;

    fn find(self, _: PK) -> Self {
        self
    }
}

impl<'a, T, Q, M, DB> BoxedDsl<'a, DB> for Scoped<T, Q, M>
where
    DB: NoDieselMethodOnScopedQueries,
{
    type Output = Self;

    fn internal_into_boxed(self) -> Self {
        self
    }
}
