//! Scoped joins. Each joinable pair is declared once, beside `diesel::joinable!`,
//! and the declaration writes only the pair's `ON` clauses, concretely (Diesel's
//! `And` cannot be built in generic code). The join itself is built by the generic
//! `inner_join`/`left_join` below, so its types are worked out only where a join is
//! written: a declared pair that no query joins costs its two `ON` clauses, not four
//! join types (inner and left, in both directions).

use diesel::dsl;
// The join kinds, hidden but public: `table!` expansions name them from here too.
use diesel::internal::table_macro::{Inner, LeftOuter};
use diesel::query_dsl::methods::FilterDsl;
use diesel::query_dsl::InternalJoinDsl;
use diesel::query_source::TableNotEqual;

use crate::scoped::column_tenant;
use crate::seal::ImplementedByTenantDieselOnly;
use crate::{AnyTenantId, Scoped, TenantColumnType, TenantTable};

mod macros;

/// A table that may be joined onto the scope of the tenant table `From`, declared
/// with [`tenant_joinable!`](macro@crate::tenant_joinable) (both tenant-scoped) or
/// [`global_joinable!`](macro@crate::global_joinable) (`Self` global).
///
/// The joined table is the `Self` type so that the compiler learns it from the
/// argument of `inner_join(rhs)` before it looks for an impl, and reports this
/// trait's message for an undeclared pair.
///
/// The declared shapes, the ones a distributed engine such as Citus routes to a
/// single shard:
/// - inner: `FROM self INNER JOIN r ON (fk = pk AND self.tenant = r.tenant)
///   WHERE self.tenant = $1 AND r.tenant = $1`;
/// - left: `FROM self LEFT JOIN r ON (fk = pk AND self.tenant = r.tenant AND
///   r.tenant = $1) WHERE self.tenant = $1`: the joined table's tenant condition
///   stays inside `ON`, so rows without a match are kept;
/// - to a global table: `ON fk = pk`, no tenant condition on it.
#[diagnostic::on_unimplemented(
    message = "no tenant-scoped join is declared from `{From}` to `{Self}`",
    label = "not declared with `tenant_joinable!` or `global_joinable!`",
    note = "declare the pair once, beside `diesel::joinable!`: `tenant_joinable!(invoices -> accounts (account_id));`, or `global_joinable!(accounts -> plans (plan_id));` when `plans` is a global table"
)]
pub trait TenantJoin<From: TenantTable>:
    diesel::QuerySource + ImplementedByTenantDieselOnly<JoinSeal<From>>
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

/// [`TenantJoin::Joined`] of a tenant table: the inner join adds
/// `joined.tenant = $1` to `WHERE`.
#[doc(hidden)]
pub enum JoinedTenantTable {}

/// [`TenantJoin::Joined`] of a global table: nothing is added, no tenant owns its
/// rows.
#[doc(hidden)]
pub enum JoinedGlobalTable {}

/// The seal of [`TenantJoin`] from `From`: joins are declared by the macros.
#[doc(hidden)]
pub struct JoinSeal<From>(std::marker::PhantomData<From>);

/// Compiles only for a global table: the parent of `global_joinable!`.
#[doc(hidden)]
pub fn assert_global<T: crate::GlobalTable>() {}

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
pub fn assert_joinable<Child: TableNotEqual<Parent>, Parent: diesel::Table>() {}

// The joins are built by traits whose `Self` is `R::Joined`, not `R`: for an
// undeclared pair that projection does not exist, so the compiler drops these
// bounds and reports `TenantJoin`'s message alone instead of Diesel's join bounds
// beside it.

/// Builds the scoped inner join of `T` with `R`.
#[doc(hidden)]
pub trait BuildInnerJoin<T, R> {
    /// The join's `FROM` clause.
    type Source;
    /// The join with both tenant filters.
    type Query;

    /// Joins `rhs` onto `T`'s rows of `tenant`.
    fn build(rhs: R, tenant: AnyTenantId) -> Self::Query;
}

impl<T, R> BuildInnerJoin<T, R> for JoinedTenantTable
where
    T: TenantTable,
    R: TenantJoin<T> + TenantTable,
    T::Filtered: InternalJoinDsl<R, Inner, R::InnerOn>,
    dsl::InnerJoinOn<T::Filtered, R, R::InnerOn>: FilterDsl<R::TenantEq>,
{
    type Source = dsl::InnerJoinQuerySource<T, R, R::InnerOn>;
    type Query = dsl::Filter<dsl::InnerJoinOn<T::Filtered, R, R::InnerOn>, R::TenantEq>;

    fn build(rhs: R, tenant: AnyTenantId) -> Self::Query {
        T::tenant_filter(column_tenant::<T>(tenant))
            .join(rhs, Inner, R::inner_on())
            .filter(R::tenant_eq(column_tenant::<R>(tenant)))
    }
}

impl<T, R> BuildInnerJoin<T, R> for JoinedGlobalTable
where
    T: TenantTable,
    R: TenantJoin<T>,
    T::Filtered: InternalJoinDsl<R, Inner, R::InnerOn>,
{
    type Source = dsl::InnerJoinQuerySource<T, R, R::InnerOn>;
    type Query = dsl::InnerJoinOn<T::Filtered, R, R::InnerOn>;

    fn build(rhs: R, tenant: AnyTenantId) -> Self::Query {
        T::tenant_filter(column_tenant::<T>(tenant)).join(rhs, Inner, R::inner_on())
    }
}

/// Builds the scoped left join of `T` with `R`: `R`'s tenant filter, if any, is
/// part of [`TenantJoin::LeftOn`], so both kinds of table build it alike.
#[doc(hidden)]
pub trait BuildLeftJoin<T, R> {
    /// The join's `FROM` clause.
    type Source;
    /// The join, `T`'s tenant filter in `WHERE`.
    type Query;

    /// Joins `rhs` onto `T`'s rows of `tenant`.
    fn build(rhs: R, tenant: AnyTenantId) -> Self::Query;
}

impl<Joined, T, R> BuildLeftJoin<T, R> for Joined
where
    T: TenantTable,
    R: TenantJoin<T, Joined = Joined>,
    T::Filtered: InternalJoinDsl<R, LeftOuter, R::LeftOn>,
{
    type Source = dsl::LeftJoinQuerySource<T, R, R::LeftOn>;
    type Query = dsl::LeftJoinOn<T::Filtered, R, R::LeftOn>;

    fn build(rhs: R, tenant: AnyTenantId) -> Self::Query {
        T::tenant_filter(column_tenant::<T>(tenant)).join(rhs, LeftOuter, R::left_on(tenant))
    }
}

/// The type of `Model::scoped(&ctx).inner_join(r)`, for functions that return one.
pub type ScopedInnerJoin<T, R> = Scoped<
    <<R as TenantJoin<T>>::Joined as BuildInnerJoin<T, R>>::Source,
    <<R as TenantJoin<T>>::Joined as BuildInnerJoin<T, R>>::Query,
>;

/// The type of `Model::scoped(&ctx).left_join(r)`, for functions that return one.
pub type ScopedLeftJoin<T, R> = Scoped<
    <<R as TenantJoin<T>>::Joined as BuildLeftJoin<T, R>>::Source,
    <<R as TenantJoin<T>>::Joined as BuildLeftJoin<T, R>>::Query,
>;

/// Joins start from the model's own scope, as Diesel's `table.inner_join(..)` does.
impl<T: TenantTable> Scoped<T, T::Filtered> {
    /// `INNER JOIN rhs`, with the tenant-equality term in `ON` and `rhs`'s tenant
    /// filter in `WHERE` (none for a global table). Declared with
    /// [`tenant_joinable!`](macro@crate::tenant_joinable) or
    /// [`global_joinable!`](macro@crate::global_joinable); plain Diesel joins do
    /// not exist on a scoped query.
    pub fn inner_join<R>(self, rhs: R) -> ScopedInnerJoin<T, R>
    where
        R: TenantJoin<T>,
        R::Joined: BuildInnerJoin<T, R>,
    {
        let tenant = self.bound_tenant();
        Scoped::new(
            <R::Joined as BuildInnerJoin<T, R>>::build(rhs, tenant),
            Some(tenant),
        )
    }

    /// `LEFT JOIN rhs`, with `rhs`'s tenant filter inside `ON` so that unmatched
    /// rows stay (none for a global table). Select `rhs`'s columns with
    /// `.nullable()`, as in Diesel.
    pub fn left_join<R>(self, rhs: R) -> ScopedLeftJoin<T, R>
    where
        R: TenantJoin<T>,
        R::Joined: BuildLeftJoin<T, R>,
    {
        let tenant = self.bound_tenant();
        Scoped::new(
            <R::Joined as BuildLeftJoin<T, R>>::build(rhs, tenant),
            Some(tenant),
        )
    }
}
