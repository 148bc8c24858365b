//! Diesel's `QueryDsl` named on a scoped query (`diesel::QueryDsl::or_filter(scope,
//! ..)`, or a method a scope does not have, with Diesel's prelude in scope).
//!
//! Without this impl the compiler tries Diesel's blanket impls for tables on the
//! scope and gives up with "overflow evaluating the requirement `_: Sized`",
//! advising a recursion limit that does not help. With it, each method resolves to
//! one of Diesel's method traits, which a scope implements only where it can say
//! why the method is refused; for the others the error names the missing trait.
//! Nothing here makes a Diesel method work on a scope.

use diesel::query_dsl::methods::OrFilterDsl;
use diesel::query_dsl::InternalJoinDsl;
use diesel::JoinTo;

use crate::{NoDieselJoinOnScopedQueries, NoOrFilterOnScopedQueries, Scoped};

impl<T, Q> diesel::QueryDsl for Scoped<T, Q> {}

impl<T, Q, P> OrFilterDsl<P> for Scoped<T, Q>
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
impl<T, Q, Rhs> JoinTo<Rhs> for Scoped<T, Q>
where
    Rhs: NoDieselJoinOnScopedQueries,
{
    type FromClause = Rhs;
    type OnClause = ();

    fn join_target(rhs: Rhs) -> (Rhs, ()) {
        (rhs, ())
    }
}

impl<T, Q, Rhs, Kind, On> InternalJoinDsl<Rhs, Kind, On> for Scoped<T, Q>
where
    Rhs: NoDieselJoinOnScopedQueries,
{
    type Output = Self;

    fn join(self, _: Rhs, _: Kind, _: On) -> Self {
        self
    }
}
