//! One step of a join: a declared table joined onto one of the scope's tables.

use diesel::internal::table_macro::{Inner, Join, JoinOn, LeftOuter};
use diesel::query_dsl::methods::FilterDsl;
use diesel::query_dsl::InternalJoinDsl;
use diesel::query_source::QuerySource;

use diesel::query_source::AppearsInFromClause;

use super::{AbsentFrom, FirstTable, IfAbsent, JoinOnto, JoinStep, TableArgument, TenantJoin};
use crate::scoped::column_tenant;
use crate::table::TenantTable;
use tenant_core::AnyTenantId;

/// [`TenantJoin::Joined`] of a tenant table: the inner join adds
/// `joined.tenant = $1` to `WHERE`.
#[doc(hidden)]
pub enum JoinedTenantTable {}

/// [`TenantJoin::Joined`] of a global table: nothing is added, no tenant owns its
/// rows.
#[doc(hidden)]
pub enum JoinedGlobalTable {}

/// A table as the argument of `inner_join`/`left_join`: joined to the scope's
/// first table.
impl<R, S, Q, K> JoinOnto<R, S, Q, K, ()> for TableArgument
where
    S: FirstTable,
    TableArgument: JoinStep<R, S, Q, S::Table, K>,
{
    type Source = <TableArgument as JoinStep<R, S, Q, S::Table, K>>::Source;
    type Query = <TableArgument as JoinStep<R, S, Q, S::Table, K>>::Query;

    fn join_onto(_table: R, query: Q, tenant: AnyTenantId) -> Self::Query {
        <TableArgument as JoinStep<R, S, Q, S::Table, K>>::join_step(query, tenant)
    }
}

// The step is built by a trait whose `Self` is `R::Joined`, not `R`: for an
// undeclared pair that projection does not exist, so the compiler reports
// `TenantJoin`'s message alone instead of Diesel's join bounds beside it.

/// A table joined onto the scope's table `P` by their declared pair.
impl<R, S, Q, P, K> JoinStep<R, S, Q, P, K> for TableArgument
where
    P: TenantTable,
    R: TenantJoin<P>,
    S: AppearsInFromClause<R>,
    S::Count: AbsentFrom<R, R::Joined>,
    IfAbsent<S, R, R::Joined>: JoinDeclared<R, S, Q, P, K>,
{
    type Source = <IfAbsent<S, R, R::Joined> as JoinDeclared<R, S, Q, P, K>>::Source;
    type Query = <IfAbsent<S, R, R::Joined> as JoinDeclared<R, S, Q, P, K>>::Query;

    fn join_step(query: Q, tenant: AnyTenantId) -> Self::Query {
        <IfAbsent<S, R, R::Joined> as JoinDeclared<R, S, Q, P, K>>::join_declared(query, tenant)
    }
}

/// Joins the declared table `R` onto `P`, by the kind of `R` (`Self`) and of the
/// join (`K`).
#[doc(hidden)]
pub trait JoinDeclared<R, S, Q, P, K> {
    /// The tables of the joined query.
    type Source;
    /// The joined query.
    type Query;

    /// Joins `R` onto `query`, scoped to `tenant`.
    fn join_declared(query: Q, tenant: AnyTenantId) -> Self::Query;
}

/// Inner join of a tenant table: its tenant term in `ON`, its filter in `WHERE`.
impl<R, S, Q, P> JoinDeclared<R, S, Q, P, Inner> for JoinedTenantTable
where
    S: QuerySource,
    P: TenantTable,
    R: TenantJoin<P> + TenantTable,
    Q: InternalJoinDsl<R, Inner, R::InnerOn>,
    Q::Output: FilterDsl<R::TenantEq>,
{
    type Source = JoinOn<Join<S, R, Inner>, R::InnerOn>;
    type Query = diesel::dsl::Filter<Q::Output, R::TenantEq>;

    fn join_declared(query: Q, tenant: AnyTenantId) -> Self::Query {
        query
            .join(R::default(), Inner, R::inner_on())
            .filter(R::tenant_eq(column_tenant::<R>(tenant)))
    }
}

/// Inner join of a global table: the keys alone.
impl<R, S, Q, P> JoinDeclared<R, S, Q, P, Inner> for JoinedGlobalTable
where
    S: QuerySource,
    P: TenantTable,
    R: TenantJoin<P> + Default,
    Q: InternalJoinDsl<R, Inner, R::InnerOn>,
{
    type Source = JoinOn<Join<S, R, Inner>, R::InnerOn>;
    type Query = Q::Output;

    fn join_declared(query: Q, _tenant: AnyTenantId) -> Self::Query {
        query.join(R::default(), Inner, R::inner_on())
    }
}

/// Left join of either kind: a tenant table's filter, if any, is part of
/// [`TenantJoin::LeftOn`].
impl<Joined, R, S, Q, P> JoinDeclared<R, S, Q, P, LeftOuter> for Joined
where
    S: QuerySource,
    P: TenantTable,
    R: TenantJoin<P, Joined = Joined> + Default,
    Q: InternalJoinDsl<R, LeftOuter, R::LeftOn>,
{
    type Source = JoinOn<Join<S, R, LeftOuter>, R::LeftOn>;
    type Query = Q::Output;

    fn join_declared(query: Q, tenant: AnyTenantId) -> Self::Query {
        query.join(R::default(), LeftOuter, R::left_on(tenant))
    }
}
