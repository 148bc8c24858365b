//! `COUNT`, `SUM`, `AVG`, `MIN` and `MAX` for scoped queries.
//!
//! Diesel's aggregate function types live in private modules and are named only
//! through aliases that the trait system cannot match an impl on, so the crate
//! cannot list them in the [`TenantSafe`] allow-list. These functions build
//! Diesel's very aggregate and wrap it in a type of this crate, which is listed
//! (its argument checked) and sends exactly Diesel's SQL. They take no `FILTER`,
//! `ORDER BY`, `DISTINCT` or window: those clauses can hold a subquery, and a
//! scoped query refuses them.
//!
//! ```
//! use tenant_diesel::dsl::{count, max};
//! # use tenant_diesel::prelude::*;
//! # diesel::table! { invoices (id) { id -> BigInt, tenant_id -> BigInt, account_id -> BigInt, amount -> BigInt, } }
//! # #[derive(Queryable, Selectable, TenantScoped)]
//! # #[diesel(table_name = invoices)]
//! # struct Invoice { id: i64, tenant_id: i64, account_id: i64, amount: i64 }
//! # let ctx = tenant_core::doc_support::context("acme");
//! let per_account = Invoice::scoped(&ctx)
//!     .group_by(invoices::account_id)
//!     .select((invoices::account_id, count(invoices::id), max(invoices::amount)));
//! # let _ = per_account;
//! ```

use diesel::backend::Backend;
use diesel::expression::{
    AppearsOnTable, AsExpression, Expression, SelectableExpression, ValidGrouping,
};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::result::QueryResult;
use diesel::sql_types::{Foldable, SingleValue, SqlType};

use super::nodes::kind;
use super::proof::Node;
use super::TenantSafe;
use crate::seal::ImplementedByTenantDieselOnly;

use diesel::sql_types::{IntoNullable, SqlOrd};

macro_rules! aggregate {
    ($(
        $(#[$doc:meta])*
        $function:ident ($($ty:ident)::+) -> $wrapper:ident: $kind:ident where [$($bound:tt)+];
    )+) => {$(
        $(#[$doc])*
        pub struct $wrapper<X>($($ty)::+<X>)
        where
            X: Expression,
            $($bound)+;

        $(#[$doc])*
        pub fn $function<X>(expression: X) -> $wrapper<X>
        where
            X: Expression + AsExpression<X::SqlType, Expression = X>,
            $($bound)+
        {
            $wrapper(diesel::dsl::$function(expression))
        }

        impl<X> Clone for $wrapper<X>
        where
            X: Expression,
            $($bound)+,
            $($ty)::+<X>: Clone,
        {
            fn clone(&self) -> Self {
                Self(self.0.clone())
            }
        }

        impl<X> std::fmt::Debug for $wrapper<X>
        where
            X: Expression,
            $($bound)+,
            $($ty)::+<X>: std::fmt::Debug,
        {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple(stringify!($wrapper)).field(&self.0).finish()
            }
        }

        impl<X> Expression for $wrapper<X>
        where
            X: Expression,
            $($bound)+,
            $($ty)::+<X>: Expression,
        {
            type SqlType = <$($ty)::+<X> as Expression>::SqlType;
        }

        impl<X, DB> QueryFragment<DB> for $wrapper<X>
        where
            DB: Backend,
            X: Expression,
            $($bound)+,
            $($ty)::+<X>: QueryFragment<DB>,
        {
            fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, DB>) -> QueryResult<()> {
                self.0.walk_ast(pass)
            }
        }

        impl<X> QueryId for $wrapper<X>
        where
            X: Expression,
            $($bound)+,
            $($ty)::+<X>: QueryId,
        {
            type QueryId = <$($ty)::+<X> as QueryId>::QueryId;
            const HAS_STATIC_QUERY_ID: bool =
                <$($ty)::+<X> as QueryId>::HAS_STATIC_QUERY_ID;
        }

        impl<X, GB> ValidGrouping<GB> for $wrapper<X>
        where
            X: Expression,
            $($bound)+,
            $($ty)::+<X>: ValidGrouping<GB>,
        {
            type IsAggregate =
                <$($ty)::+<X> as ValidGrouping<GB>>::IsAggregate;
        }

        impl<X, QS> AppearsOnTable<QS> for $wrapper<X>
        where
            X: Expression,
            $($bound)+,
            $($ty)::+<X>: AppearsOnTable<QS>,
            Self: Expression,
        {
        }

        impl<X, QS> SelectableExpression<QS> for $wrapper<X>
        where
            X: Expression,
            $($bound)+,
            $($ty)::+<X>: SelectableExpression<QS>,
            Self: AppearsOnTable<QS>,
        {
        }

        impl<X, PX> ImplementedByTenantDieselOnly<Node<kind::$kind, (X,), (PX,)>> for $wrapper<X>
        where
            X: Expression,
            $($bound)+
        {
        }

        impl<T, X, PX> TenantSafe<T, Node<kind::$kind, (X,), (PX,)>> for $wrapper<X>
        where
            X: Expression + TenantSafe<T, PX>,
            $($bound)+
        {
        }
    )+};
}

aggregate! {
    /// `COUNT(x)`: the rows where `x` is not null.
    count (diesel::dsl::count) -> Count: Count where [X::SqlType: SqlType + SingleValue];
    /// `SUM(x)`.
    sum (diesel::helper_types::sum) -> Sum: Sum where [X::SqlType: Foldable];
    /// `AVG(x)`.
    avg (diesel::helper_types::avg) -> Avg: Avg where [X::SqlType: Foldable];
    /// `MIN(x)`.
    min (diesel::helper_types::min) -> Min: Min
        where [X::SqlType: SqlOrd + IntoNullable + SingleValue, <X::SqlType as IntoNullable>::Nullable: SqlType + SingleValue];
    /// `MAX(x)`.
    max (diesel::helper_types::max) -> Max: Max
        where [X::SqlType: SqlOrd + IntoNullable + SingleValue, <X::SqlType as IntoNullable>::Nullable: SqlType + SingleValue];
}
