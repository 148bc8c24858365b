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
//! - an inner nest of two tenant tables in a left join (`a ⟕ (b ⋈ c)`) is no
//!   chain; it equals `a ⟕ b ON (ab AND EXISTS (SELECT .. FROM c WHERE bc)) ⟕ c
//!   ON bc`, which is what is sent ([`ExistsRewrite`]).

use diesel::internal::table_macro::{FromClause, Inner, Join, JoinOn, LeftOuter, SelectStatement};
use diesel::query_source::QuerySource;

use diesel::dsl;
use diesel::expression::Expression;
use diesel::query_dsl::methods::FilterDsl;
use diesel::query_dsl::InternalJoinDsl;
use diesel::query_source::{AppearsInFromClause, JoinTo};
use diesel::sql_types::Bool;

use super::custom::Condition;
use super::table::{JoinedGlobalTable, JoinedTenantTable};
use super::{AbsentFrom, FirstTable, JoinArgument, JoinOnto, JoinStep, NestedArgument, TenantJoin};
use crate::scoped::column_tenant;
use crate::table::TenantTable;
use tenant_core::AnyTenantId;

/// How a step nested with kind `Nested` in a join of kind `Self` is flattened:
/// a chain of the combined kind ([`Chain`]), or, for an inner join nested in a
/// left join, the rewrite with `EXISTS` ([`ExistsRewrite`]).
#[doc(hidden)]
pub trait NestedJoinKinds<Nested> {
    /// [`Chain`] or [`ExistsRewrite`].
    type Flatten;
}

/// The flattened step is a chain of joins of kind `Kind`.
#[doc(hidden)]
pub struct Chain<Kind>(std::marker::PhantomData<Kind>);

/// `a ⟕ (b ⋈ c)`, which is no chain, written as the chain it equals:
/// `a ⟕ b ON (ab AND EXISTS (SELECT .. FROM c WHERE bc)) ⟕ c ON bc`.
#[doc(hidden)]
pub enum ExistsRewrite {}

impl NestedJoinKinds<Inner> for Inner {
    type Flatten = Chain<Inner>;
}

impl NestedJoinKinds<LeftOuter> for Inner {
    type Flatten = Chain<LeftOuter>;
}

impl NestedJoinKinds<LeftOuter> for LeftOuter {
    type Flatten = Chain<LeftOuter>;
}

impl NestedJoinKinds<Inner> for LeftOuter {
    type Flatten = ExistsRewrite;
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
/// How the nest `L ⋈ R` of kind `K2` inside a join of kind `K` is flattened.
type Flatten<K, K2> = <K as NestedJoinKinds<K2>>::Flatten;

/// A join inside the nest, its `ON` Diesel's own: flattened by its kinds.
impl<L, R, K2, On, S, Q, P, K> JoinStep<JoinOn<Join<L, R, K2>, On>, S, Q, P, K> for NestedArgument
where
    L: QuerySource + FirstTable,
    R: QuerySource + FirstTable,
    K: NestedJoinKinds<K2>,
    L::Table: JoinTo<R::Table>,
    On: DieselsOwnOn<<L::Table as JoinTo<R::Table>>::OnClause>,
    Flatten<K, K2>: FlattenNest<L, R, S, Q, P, K>,
{
    type Source = <Flatten<K, K2> as FlattenNest<L, R, S, Q, P, K>>::Source;
    type Query = <Flatten<K, K2> as FlattenNest<L, R, S, Q, P, K>>::Query;

    fn join_step(query: Q, tenant: AnyTenantId) -> Self::Query {
        <Flatten<K, K2> as FlattenNest<L, R, S, Q, P, K>>::flatten(query, tenant)
    }
}

/// Joins the nest `L ⋈ R` onto `P` as a join of kind `K`, flattened as
/// `Self` says.
#[doc(hidden)]
pub trait FlattenNest<L, R, S, Q, P, K> {
    /// The tables of the joined query.
    type Source;
    /// The joined query.
    type Query;

    /// Joins the nest onto `query`, scoped to `tenant`.
    fn flatten(query: Q, tenant: AnyTenantId) -> Self::Query;
}

/// A chain: the nest's left side joins `P` with kind `K`, then its right side
/// joins the left side's first table with the combined kind.
impl<L, R, S, Q, P, K, RightKind> FlattenNest<L, R, S, Q, P, K> for Chain<RightKind>
where
    L: JoinArgument + FirstTable,
    R: JoinArgument,
    L::Shape: JoinStep<L, S, Q, P, K>,
    R::Shape: JoinStep<R, LeftSource<L, S, Q, P, K>, LeftQuery<L, S, Q, P, K>, L::Table, RightKind>,
{
    type Source = <R::Shape as JoinStep<
        R,
        LeftSource<L, S, Q, P, K>,
        LeftQuery<L, S, Q, P, K>,
        L::Table,
        RightKind,
    >>::Source;
    type Query = <R::Shape as JoinStep<
        R,
        LeftSource<L, S, Q, P, K>,
        LeftQuery<L, S, Q, P, K>,
        L::Table,
        RightKind,
    >>::Query;

    fn flatten(query: Q, tenant: AnyTenantId) -> Self::Query {
        let left = <L::Shape as JoinStep<L, S, Q, P, K>>::join_step(query, tenant);
        <R::Shape as JoinStep<
            R,
            LeftSource<L, S, Q, P, K>,
            LeftQuery<L, S, Q, P, K>,
            L::Table,
            RightKind,
        >>::join_step(left, tenant)
    }
}

/// The `EXISTS` of the rewrite: a row of the nest's right side `R` that joins
/// `L`'s row, by the kind of `R` (`Self`, `R`'s `TenantJoin::Joined`): the
/// tenant's rows of a tenant table, any row of a global one.
#[doc(hidden)]
pub trait NestExists<R, L> {
    /// `EXISTS (SELECT .. FROM r WHERE ..)`.
    type Exists: Expression<SqlType = Bool>;

    /// The `EXISTS` for `tenant`.
    fn nest_exists(tenant: AnyTenantId) -> Self::Exists;
}

/// The `EXISTS` over a tenant table: its tenant filter, then the pair's `ON`.
type TenantExists<R, L> =
    dsl::exists<dsl::Filter<<R as TenantTable>::Filtered, <R as TenantJoin<L>>::InnerOn>>;

impl<R, L> NestExists<R, L> for JoinedTenantTable
where
    L: TenantTable,
    R: TenantTable + TenantJoin<L>,
    R::Filtered: FilterDsl<R::InnerOn>,
    TenantExists<R, L>: Expression<SqlType = Bool>,
{
    type Exists = TenantExists<R, L>;

    fn nest_exists(tenant: AnyTenantId) -> Self::Exists {
        dsl::exists(R::tenant_filter(column_tenant::<R>(tenant)).filter(R::inner_on()))
    }
}

/// The `EXISTS` over a global table: the pair's `ON` alone.
type GlobalExists<R, L> = dsl::exists<dsl::Filter<R, <R as TenantJoin<L>>::InnerOn>>;

impl<R, L> NestExists<R, L> for JoinedGlobalTable
where
    L: TenantTable,
    R: TenantJoin<L> + Default + FilterDsl<<R as TenantJoin<L>>::InnerOn>,
    GlobalExists<R, L>: Expression<SqlType = Bool>,
{
    type Exists = GlobalExists<R, L>;

    fn nest_exists(_tenant: AnyTenantId) -> Self::Exists {
        dsl::exists(R::default().filter(R::inner_on()))
    }
}

/// The `EXISTS` of the rewrite for `R` joining `L`.
type ExistsJoined<R, L> = <<R as TenantJoin<L>>::Joined as NestExists<R, L>>::Exists;

/// The left `ON` of `Self`, a tenant table joined onto `P`, with the `EXISTS`
/// of a row of `R` that joins it. A trait of its own so that the condition's
/// type stays one name where the join is built.
#[doc(hidden)]
pub trait LeftOnWithExists<P, R> {
    /// `EXISTS (..) AND (declared left ON)`.
    type On: Expression;

    /// The condition for `tenant`.
    fn left_on_with_exists(tenant: AnyTenantId) -> Self::On;
}

impl<L, P, R> LeftOnWithExists<P, R> for L
where
    P: TenantTable,
    L: TenantTable + TenantJoin<P>,
    R: TenantJoin<L>,
    R::Joined: NestExists<R, L>,
    L::LeftOn: Expression,
    <L::LeftOn as Expression>::SqlType: Condition<ExistsJoined<R, L>, L::LeftOn>,
    WithExists<L, P, R>: Expression,
{
    type On = WithExists<L, P, R>;

    fn left_on_with_exists(tenant: AnyTenantId) -> Self::On {
        let exists = <R::Joined as NestExists<R, L>>::nest_exists(tenant);
        <L::LeftOn as Expression>::SqlType::and(exists, L::left_on(tenant))
    }
}

/// `EXISTS (..) AND (declared left ON)`: the `EXISTS` first, as the declared
/// condition may be nullable (a nullable foreign key).
type WithExists<L, P, R> = <<<L as TenantJoin<P>>::LeftOn as Expression>::SqlType as Condition<
    ExistsJoined<R, L>,
    <L as TenantJoin<P>>::LeftOn,
>>::And;

/// The tables after `L`'s left join with the `EXISTS`.
type RewrittenLeftSource<S, L, R, P> =
    JoinOn<Join<S, L, LeftOuter>, <L as LeftOnWithExists<P, R>>::On>;

/// The query after `L`'s left join with the `EXISTS`.
type RewrittenLeft<Q, L, R, P> =
    <Q as InternalJoinDsl<L, LeftOuter, <L as LeftOnWithExists<P, R>>::On>>::Output;

/// `a ⟕ (b ⋈ c)` for a tenant table `b` (`L`) and a table `c` (`R`): `b` left-joins
/// `a` on its declared `ON` and the existence of a `c` that joins it, then `c`
/// left-joins `b` on theirs. Each `c` of a `b` that is kept exists, so the rows
/// are those of the nest; each table keeps its tenant terms in its `ON`.
impl<L, R, S, Q, P> FlattenNest<L, R, S, Q, P, LeftOuter> for ExistsRewrite
where
    S: QuerySource + AppearsInFromClause<L>,
    S::Count: AbsentFrom<L, ()>,
    P: TenantTable,
    L: TenantTable + LeftOnWithExists<P, R>,
    R: TenantJoin<L> + Default,
    Q: InternalJoinDsl<L, LeftOuter, <L as LeftOnWithExists<P, R>>::On>,
    RewrittenLeft<Q, L, R, P>: InternalJoinDsl<R, LeftOuter, <R as TenantJoin<L>>::LeftOn>,
    RewrittenLeftSource<S, L, R, P>: QuerySource,
{
    type Source =
        JoinOn<Join<RewrittenLeftSource<S, L, R, P>, R, LeftOuter>, <R as TenantJoin<L>>::LeftOn>;
    type Query = <RewrittenLeft<Q, L, R, P> as InternalJoinDsl<
        R,
        LeftOuter,
        <R as TenantJoin<L>>::LeftOn,
    >>::Output;

    fn flatten(query: Q, tenant: AnyTenantId) -> Self::Query {
        query
            .join(L::default(), LeftOuter, L::left_on_with_exists(tenant))
            .join(R::default(), LeftOuter, R::left_on(tenant))
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
