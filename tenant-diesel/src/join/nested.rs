//! Diesel's nested join, `.inner_join(b::table.inner_join(c::table))`: `b`
//! joins the scope's table `a` and `c` joins `b`, each by its declared pair.
//!
//! Only the nested join's tables and join kinds are read; its `ON` must be the
//! one `diesel::joinable!` writes (a nest with `.on(..)` inside is refused: write
//! that step as a chained `.inner_join(c::table.on(..))`). It is flattened into
//! the chain it equals, `a JOIN b ON .. JOIN c ON (c.b_id = b.id AND ..)`:
//! - an inner nest in an inner join, or a left nest in either, is the same chain
//!   (`a ⋈ (b ⋈ c) = (a ⋈ b) ⋈ c`, `a ⋈ (b ⟕ c) = (a ⋈ b) ⟕ c`,
//!   `a ⟕ (b ⟕ c) = (a ⟕ b) ⟕ c`, as `c`'s condition rejects a missing `b`);
//! - an inner nest in a left join (`a ⟕ (b ⋈ c)`) is no chain, and is refused.

use diesel::internal::table_macro::{FromClause, Inner, Join, JoinOn, LeftOuter, SelectStatement};
use diesel::query_source::QuerySource;

use diesel::query_source::JoinTo;

use super::{FirstTable, JoinArgument, JoinOnto, JoinStep, NestedArgument};
use crate::AnyTenantId;

/// The join kind of a step nested with kind `Nested` in a join of kind `Self`.
#[diagnostic::on_unimplemented(
    message = "an inner join nested in a left join is not available on a tenant-scoped query",
    label = "`a LEFT JOIN (b INNER JOIN c)` is not a chain of joins",
    note = "left-join both (`.left_join(b::table.left_join(c::table))`), or inner-join both; the scope flattens a nested join into the chain it equals"
)]
pub trait NestedJoinKinds<Nested> {
    /// The kind of the flattened step.
    type Kind;
}

impl NestedJoinKinds<Inner> for Inner {
    type Kind = Inner;
}

impl NestedJoinKinds<LeftOuter> for Inner {
    type Kind = LeftOuter;
}

impl NestedJoinKinds<LeftOuter> for LeftOuter {
    type Kind = LeftOuter;
}

/// `Self`, the `ON` of a nested join Diesel built, is `DieselOn`, the one
/// `diesel::joinable!` writes for the pair.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "a nested join on a tenant-scoped query takes the `ON` of `diesel::joinable!`, not `{Self}`",
    label = "a nested join with a condition of its own",
    note = "write that step as a chained join with its own condition: `.inner_join(b::table).inner_join(c::table.on(c::b_id.eq(b::id)))`, which the scope checks and adds the tenant terms to"
)]
pub trait DieselsOwnOn<DieselOn> {}

impl<On> DieselsOwnOn<On> for On {}

/// The source after the nest's left side joined `P`.
type LeftSource<L, S, Q, P, K> = <<L as JoinArgument>::Shape as JoinStep<L, S, Q, P, K>>::Source;
/// The query after the nest's left side joined `P`.
type LeftQuery<L, S, Q, P, K> = <<L as JoinArgument>::Shape as JoinStep<L, S, Q, P, K>>::Query;
/// The kind of the nest's right side, flattened.
type RightKind<K, K2> = <K as NestedJoinKinds<K2>>::Kind;

/// A join inside the nest: its left side joins `P`, then its right side joins
/// the left side's first table, with the kinds combined.
impl<L, R, K2, On, S, Q, P, K> JoinStep<JoinOn<Join<L, R, K2>, On>, S, Q, P, K> for NestedArgument
where
    L: QuerySource + JoinArgument + FirstTable,
    R: QuerySource + JoinArgument + FirstTable,
    K: NestedJoinKinds<K2>,
    L::Table: JoinTo<R::Table>,
    On: DieselsOwnOn<<L::Table as JoinTo<R::Table>>::OnClause>,
    L::Shape: JoinStep<L, S, Q, P, K>,
    R::Shape: JoinStep<
        R,
        LeftSource<L, S, Q, P, K>,
        LeftQuery<L, S, Q, P, K>,
        L::Table,
        RightKind<K, K2>,
    >,
{
    type Source = <R::Shape as JoinStep<
        R,
        LeftSource<L, S, Q, P, K>,
        LeftQuery<L, S, Q, P, K>,
        L::Table,
        RightKind<K, K2>,
    >>::Source;
    type Query = <R::Shape as JoinStep<
        R,
        LeftSource<L, S, Q, P, K>,
        LeftQuery<L, S, Q, P, K>,
        L::Table,
        RightKind<K, K2>,
    >>::Query;

    fn join_step(query: Q, tenant: AnyTenantId) -> Self::Query {
        let left = <L::Shape as JoinStep<L, S, Q, P, K>>::join_step(query, tenant);
        <R::Shape as JoinStep<
            R,
            LeftSource<L, S, Q, P, K>,
            LeftQuery<L, S, Q, P, K>,
            L::Table,
            RightKind<K, K2>,
        >>::join_step(left, tenant)
    }
}

/// Diesel's nested join as the argument of `inner_join`/`left_join`: its first
/// table joins the scope's first table.
impl<L, R, K2, On, S, Q, K>
    JoinOnto<SelectStatement<FromClause<JoinOn<Join<L, R, K2>, On>>>, S, Q, K, ()>
    for NestedArgument
where
    L: QuerySource,
    R: QuerySource,
    JoinOn<Join<L, R, K2>, On>: QuerySource,
    S: FirstTable,
    NestedArgument: JoinStep<JoinOn<Join<L, R, K2>, On>, S, Q, S::Table, K>,
{
    type Source =
        <NestedArgument as JoinStep<JoinOn<Join<L, R, K2>, On>, S, Q, S::Table, K>>::Source;
    type Query = <NestedArgument as JoinStep<JoinOn<Join<L, R, K2>, On>, S, Q, S::Table, K>>::Query;

    fn join_onto(
        _nest: SelectStatement<FromClause<JoinOn<Join<L, R, K2>, On>>>,
        query: Q,
        tenant: AnyTenantId,
    ) -> Self::Query {
        <NestedArgument as JoinStep<JoinOn<Join<L, R, K2>, On>, S, Q, S::Table, K>>::join_step(
            query, tenant,
        )
    }
}
