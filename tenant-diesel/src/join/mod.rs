//! Scoped joins, of any depth. Each joinable pair is declared once, beside
//! `diesel::joinable!`, and the declaration writes only the pair's `ON` clauses,
//! concretely (the bounds of Diesel's `And` cannot be written in generic code;
//! a condition of the application's is combined through one impl per SQL type,
//! `custom::Condition`). The joins
//! themselves are built by the generic `inner_join`/`left_join` below, so their
//! types are worked out only where a join is written: a declared pair that no
//! query joins costs its two `ON` clauses, not a join type per way it could be
//! used.
//!
//! What `inner_join(x)` / `left_join(x)` take, like Diesel's:
//! - a table: joined to the scope's first table (Diesel's rule for a chain,
//!   `a.inner_join(b).inner_join(c)` joins `c` to `a`), by the declared pair;
//! - Diesel's nested join, `a.inner_join(b::table.inner_join(c::table))`: `c`
//!   joins `b` by their declared pair; flattened into the chain it equals;
//! - a table with its own `ON`, `b::table.on(..)`: the condition is checked like
//!   a filter, and the tenant terms are added to it;
//! - an alias of a table, `parent.on(..)` (`diesel::alias!`): a self-join, the
//!   alias with its own tenant filter.

use diesel::internal::table_macro::{FromClause, Inner, Join, JoinOn, LeftOuter, SelectStatement};
use diesel::query_source::{AppearsInFromClause, Never, QuerySource, TableNotEqual};

use crate::scoped::{ReadWrite, Scoped};
use crate::seal::ImplementedByTenantDieselOnly;
use crate::table::{TableKind, TenantColumnType, TenantTable};
use tenant_core::AnyTenantId;

mod alias;
mod custom;
mod macros;
mod nested;
mod table;

pub use table::{JoinedGlobalTable, JoinedTenantTable};

/// A table that may be joined onto a scope whose table is `From`, declared with
/// [`tenant_joinable!`](macro@crate::tenant_joinable) (both tenant-scoped) or
/// [`global_joinable!`](macro@crate::global_joinable) (`Self` global).
///
/// The joined table is the `Self` type so that the compiler learns it from the
/// argument of `inner_join(rhs)` before it looks for an impl, and reports this
/// trait's message for an undeclared pair.
///
/// The SQL each declared shape sends (inner, left, to a global table), the one a
/// distributed engine such as Citus routes to a single shard, is in the guide's
/// [joins](crate::guide::joins) chapter.
#[diagnostic::on_unimplemented(
    message = "no tenant-scoped join is declared from `{From}` to `{Self}`",
    label = "not declared with `tenant_joinable!` or `global_joinable!`",
    note = "declare the pair once, beside `diesel::joinable!`: `tenant_joinable!(invoices -> accounts (account_id));`, or `global_joinable!(accounts -> plans (plan_id));` when `plans` is a global table",
    note = "a chained join joins the query's first table, as in Diesel; to join a table to another joined table, nest it: `.inner_join(b::table.inner_join(c::table))`, or give the join its own condition: `.inner_join(c::table.on(c::b_id.eq(b::id)))`"
)]
pub trait TenantJoin<From: TenantTable>:
    QuerySource + ImplementedByTenantDieselOnly<JoinSeal<From>>
{
    /// The `ON` clause of the inner join: the keys, and the tenant columns equal.
    type InnerOn;
    /// The `ON` clause of the left join: the inner one and, for a tenant table,
    /// its tenant filter.
    type LeftOn;
    /// Whether the inner join filters `Self` by the tenant in `WHERE` (a tenant
    /// table) or not (a global table); set by the declaring macro.
    type Joined;

    /// The inner join's `ON` clause.
    #[doc(hidden)]
    fn inner_on() -> Self::InnerOn;

    /// The left join's `ON` clause for `tenant`.
    #[doc(hidden)]
    fn left_on(tenant: AnyTenantId) -> Self::LeftOn;
}

/// The seal of [`TenantJoin`] from `From`: joins are declared by the macros.
#[doc(hidden)]
pub struct JoinSeal<From>(std::marker::PhantomData<From>);

/// Compiles only for a global table: the parent of `global_joinable!`.
#[doc(hidden)]
pub fn assert_global<T: crate::table::GlobalTable>() {}

/// A pair declared with `tenant_joinable!`; implemented only where both tables'
/// tenant columns have one SQL type (`SameTenantColumns`): the join compares
/// them, and carries one tenant to both.
#[doc(hidden)]
pub trait TenantJoinPair<Parent> {}

/// `Self` and `Other`, the SQL types of two tenant columns, are one type: the
/// same ids, and both `NOT NULL` or both nullable.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "a tenant join compares two tenant columns of one type: these are `{Self}` and `{Other}`",
    label = "the tenant columns of the two tables differ",
    note = "give both tenant columns one type in the database (`ALTER TABLE .. ALTER COLUMN .. TYPE bigint`, or `SET NOT NULL`, then `diesel print-schema`), not in schema.rs; a table whose `NULL`-tenant rows are shared is not joined as a tenant table"
)]
pub trait SameTenantColumns<Other>: TenantColumnType {}

impl<ST: TenantColumnType> SameTenantColumns<ST> for ST {}

/// Compiles only for tables Diesel may join; see `__assert_joinable!`.
#[doc(hidden)]
pub fn assert_joinable<Child: JoinableByDiesel<Parent>, Parent: diesel::Table>() {}

/// `Self` and `Parent` may appear in one Diesel query: Diesel's `TableNotEqual`,
/// under a message of the library's (Diesel's own error is "the trait bound
/// `players::table: TableNotEqual<teams::table>` is not satisfied").
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` and `{Parent}` are not in one `allow_tables_to_appear_in_same_query!`, so Diesel cannot join them",
    label = "declared joinable here, but Diesel may not put the two tables in one query",
    note = "list both tables in one `diesel::allow_tables_to_appear_in_same_query!(..)` beside their `table!`s (`diesel print-schema` writes it)"
)]
pub trait JoinableByDiesel<Parent> {}

// Reports `JoinableByDiesel`'s message, not `TableNotEqual`'s beneath it.
#[diagnostic::do_not_recommend]
impl<Child: TableNotEqual<Parent>, Parent: diesel::Table> JoinableByDiesel<Parent> for Child {}

/// The first table of a join, which a chained join joins to (Diesel's rule).
#[doc(hidden)]
pub trait FirstTable {
    /// The table.
    type Table;
}

impl<T: TableKind> FirstTable for T {
    type Table = T;
}

impl<L, R, K, On> FirstTable for JoinOn<Join<L, R, K>, On>
where
    L: FirstTable + QuerySource,
    R: QuerySource,
{
    type Table = L::Table;
}

/// What `inner_join` and `left_join` take: its shape picks how it is joined.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be joined onto a tenant-scoped query",
    label = "not a table, a nested join of tables, or a table with `.on(..)`",
    note = "join a table (`.inner_join(invoices::table)`), Diesel's nested join of tables (`.inner_join(b::table.inner_join(c::table))`) or a table with its own condition (`.inner_join(b::table.on(..))`); the pairs are declared with `tenant_joinable!` or `global_joinable!`"
)]
pub trait JoinArgument {
    /// [`TableArgument`], [`NestedArgument`] or [`ArgumentWithOn`].
    type Shape;
}

/// [`JoinArgument::Shape`] of a table.
#[doc(hidden)]
pub enum TableArgument {}

/// [`JoinArgument::Shape`] of Diesel's nested join (and of each join inside it).
#[doc(hidden)]
pub enum NestedArgument {}

/// [`JoinArgument::Shape`] of a table with its own `ON` (`table.on(..)`).
#[doc(hidden)]
pub enum ArgumentWithOn {}

impl<T: TableKind> JoinArgument for T {
    type Shape = TableArgument;
}

impl<L, R, K, On> JoinArgument for JoinOn<Join<L, R, K>, On>
where
    L: QuerySource,
    R: QuerySource,
{
    type Shape = NestedArgument;
}

/// Diesel's `b::table.inner_join(c::table)` as written, nothing else applied to
/// it (every clause the default): only its tables and join kinds are read.
impl<L, R, K, On> JoinArgument for SelectStatement<FromClause<JoinOn<Join<L, R, K>, On>>>
where
    L: QuerySource,
    R: QuerySource,
    JoinOn<Join<L, R, K>, On>: QuerySource,
{
    type Shape = NestedArgument;
}

impl<R, On> JoinArgument for diesel::dsl::On<R, On> {
    type Shape = ArgumentWithOn;
}

/// Joins the argument `A` onto a scope of source `S` and query `Q`, as a join of
/// kind `K` (Diesel's `Inner` or `LeftOuter`). `Proof` is the check of a
/// condition of the application's (`.on(..)`); `()` otherwise.
///
/// Implemented by the argument's [`JoinArgument::Shape`].
#[doc(hidden)]
pub trait JoinOnto<A, S, Q, K, Proof> {
    /// The tables of the joined query, which every later expression is checked
    /// against.
    type Source;
    /// The joined query.
    type Query;

    /// Joins `argument` onto `query`, scoped to `tenant`.
    fn join_onto(argument: A, query: Q, tenant: AnyTenantId) -> Self::Query;
}

/// Joins the table (or nested join) `N` onto the table `P` of a scope of source
/// `S` and query `Q`, as a join of kind `K`: one step of a chain.
#[doc(hidden)]
pub trait JoinStep<N, S, Q, P, K> {
    /// The tables of the joined query.
    type Source;
    /// The joined query.
    type Query;

    /// Joins `N` onto `query`, scoped to `tenant`.
    fn join_step(query: Q, tenant: AnyTenantId) -> Self::Query;
}

/// `Self`, how often the table `R` appears among a scope's tables, is never:
/// a table is joined once. `Then` is `Joined` passed through, so that the
/// steps after this check are built only when it holds (and the compiler
/// reports this message alone when it does not).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{R}` is already one of this query's tables",
    label = "joined a second time",
    note = "each table appears once in a scoped query; compare two rows of one table with a scope of their own, or filter on the table's columns"
)]
pub trait AbsentFrom<R, Joined> {
    /// `Joined`.
    type Then;
}

impl<R, Joined> AbsentFrom<R, Joined> for Never {
    type Then = Joined;
}

/// `Joined`, once `R` is known to be absent from the tables `S`.
type IfAbsent<S, R, Joined> = <<S as AppearsInFromClause<R>>::Count as AbsentFrom<R, Joined>>::Then;

/// The source of a scope after a step.
type StepSource<A, S, Q, K, P> = <<A as JoinArgument>::Shape as JoinOnto<A, S, Q, K, P>>::Source;
/// The query of a scope after a step.
type StepQuery<A, S, Q, K, P> = <<A as JoinArgument>::Shape as JoinOnto<A, S, Q, K, P>>::Query;

/// A scope after the join of `A`.
type JoinedScope<A, S, Q, K, P, M = ReadWrite> =
    Scoped<StepSource<A, S, Q, K, P>, StepQuery<A, S, Q, K, P>, M>;

/// The type of `Model::scoped(&ctx).inner_join(r)`, for functions that return one.
pub type ScopedInnerJoin<T, R> = JoinedScope<R, T, <T as TenantTable>::Filtered, Inner, ()>;

/// The type of `Model::scoped(&ctx).left_join(r)`, for functions that return one.
pub type ScopedLeftJoin<T, R> = JoinedScope<R, T, <T as TenantTable>::Filtered, LeftOuter, ()>;

/// `Self`, the mode of a scope, joins: a scope that reads shared rows does not,
/// as its `tenant = $1 OR tenant IS NULL` would not carry to the joined tables.
#[diagnostic::on_unimplemented(
    message = "a scope that reads the shared rows does not join",
    label = "`tenant = ? OR tenant IS NULL` does not carry to a joined table",
    note = "join from the tenant's own scope, `Model::scoped(&ctx)`, and read the shared rows with a query of their own"
)]
pub trait JoinsInMode: crate::seal::ImplementedByTenantDieselOnly<ReadWrite> {}

impl crate::seal::ImplementedByTenantDieselOnly<ReadWrite> for ReadWrite {}
impl JoinsInMode for ReadWrite {}

/// Joins, on any scope of a tenant table (filtered, ordered, already joined),
/// as on Diesel's queries.
impl<S, Q, M> Scoped<S, Q, M> {
    /// `INNER JOIN rhs`, with the tenant-equality term in `ON` and `rhs`'s tenant
    /// filter in `WHERE` (none for a global table). `rhs` is a table, Diesel's
    /// nested join of tables, or a table with its own condition (`.on(..)`);
    /// see [`TenantJoin`]. Plain Diesel joins do not exist on a scoped query.
    pub fn inner_join<A, Proof>(self, rhs: A) -> JoinedScope<A, S, Q, Inner, Proof, M>
    where
        M: JoinsInMode,
        A: JoinArgument,
        A::Shape: JoinOnto<A, S, Q, Inner, Proof>,
    {
        let tenant = self.bound_tenant();
        self.map_to(|query| {
            <A::Shape as JoinOnto<A, S, Q, Inner, Proof>>::join_onto(rhs, query, tenant)
        })
    }

    /// `LEFT JOIN rhs`, with `rhs`'s tenant filter inside `ON` so that unmatched
    /// rows stay (none for a global table). Select `rhs`'s columns with
    /// `.nullable()`, as in Diesel.
    pub fn left_join<A, Proof>(self, rhs: A) -> JoinedScope<A, S, Q, LeftOuter, Proof, M>
    where
        M: JoinsInMode,
        A: JoinArgument,
        A::Shape: JoinOnto<A, S, Q, LeftOuter, Proof>,
    {
        let tenant = self.bound_tenant();
        self.map_to(|query| {
            <A::Shape as JoinOnto<A, S, Q, LeftOuter, Proof>>::join_onto(rhs, query, tenant)
        })
    }
}
