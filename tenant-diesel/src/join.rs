//! Scoped joins. Each joinable pair is declared once, beside `diesel::joinable!`,
//! and the declaration writes only the pair's `ON` clauses, concretely (Diesel's
//! `And` cannot be built in generic code). The join itself is built by the generic
//! `inner_join`/`left_join` below, so its types are worked out only where a join is
//! written: a declared pair that no query joins costs its two `ON` clauses, not four
//! join types (inner and left, in both directions).

use diesel::dsl;
use diesel::internal::table_macro::{Inner, LeftOuter};
use diesel::query_dsl::methods::FilterDsl;
use diesel::query_dsl::InternalJoinDsl;
use diesel::query_source::TableNotEqual;

use crate::{Scoped, TenantId, TenantTable};

/// A table that may be joined onto the scope of the tenant table `From`, declared
/// with [`tenant_joinable!`] (both tenant-scoped) or [`global_joinable!`] (`Self`
/// global).
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
pub trait TenantJoin<From: TenantTable>: diesel::QuerySource {
    /// The `ON` clause of the inner join: the keys, and the tenant columns equal.
    type InnerOn;
    /// The `ON` clause of the left join: the inner one and, for a tenant table,
    /// its tenant filter.
    type LeftOn;
    /// [`JoinedTenantTable`] or [`JoinedGlobalTable`]: whether the inner join
    /// filters `Self` by the tenant in `WHERE`.
    type Joined;

    /// The inner join's `ON` clause.
    #[doc(hidden)]
    fn inner_on() -> Self::InnerOn;

    /// The left join's `ON` clause for `tenant`.
    #[doc(hidden)]
    fn left_on(tenant: TenantId) -> Self::LeftOn;
}

/// [`TenantJoin::Joined`] of a tenant table: the inner join adds
/// `joined.tenant = $1` to `WHERE`.
#[doc(hidden)]
pub enum JoinedTenantTable {}

/// [`TenantJoin::Joined`] of a global table: nothing is added, no tenant owns its
/// rows.
#[doc(hidden)]
pub enum JoinedGlobalTable {}

// The joins are built by traits whose `Self` is `R::Joined`, not `R`: for an
// undeclared pair that projection does not exist, so the compiler drops these
// bounds and reports `TenantJoin`'s message alone instead of Diesel's join bounds
// beside it.

/// Compiles only for tables Diesel may join; see `__assert_joinable!`.
#[doc(hidden)]
pub fn assert_joinable<Child: TableNotEqual<Parent>, Parent: diesel::Table>() {}

/// Builds the scoped inner join of `T` with `R`.
#[doc(hidden)]
pub trait BuildInnerJoin<T, R> {
    /// The join's `FROM` clause.
    type Source;
    /// The join with both tenant filters.
    type Query;

    /// Joins `rhs` onto `T`'s rows of `tenant`.
    fn build(rhs: R, tenant: TenantId) -> Self::Query;
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

    fn build(rhs: R, tenant: TenantId) -> Self::Query {
        T::tenant_filter(tenant)
            .join(rhs, Inner, R::inner_on())
            .filter(R::tenant_eq(tenant))
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

    fn build(rhs: R, tenant: TenantId) -> Self::Query {
        T::tenant_filter(tenant).join(rhs, Inner, R::inner_on())
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
    fn build(rhs: R, tenant: TenantId) -> Self::Query;
}

impl<Joined, T, R> BuildLeftJoin<T, R> for Joined
where
    T: TenantTable,
    R: TenantJoin<T, Joined = Joined>,
    T::Filtered: InternalJoinDsl<R, LeftOuter, R::LeftOn>,
{
    type Source = dsl::LeftJoinQuerySource<T, R, R::LeftOn>;
    type Query = dsl::LeftJoinOn<T::Filtered, R, R::LeftOn>;

    fn build(rhs: R, tenant: TenantId) -> Self::Query {
        T::tenant_filter(tenant).join(rhs, LeftOuter, R::left_on(tenant))
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
    /// [`tenant_joinable!`] or [`global_joinable!`]; plain Diesel joins do not exist
    /// on a scoped query.
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

/// Declares a join between two tenant tables, in both directions, beside
/// `diesel::joinable!(child -> parent (foreign_key))`.
///
/// ```
/// use tenant_diesel::prelude::*;
///
/// diesel::table! { accounts (id) { id -> BigInt, tenant_id -> BigInt, name -> Text, } }
/// diesel::table! { invoices (id) { id -> BigInt, tenant_id -> BigInt, account_id -> BigInt, } }
/// diesel::allow_tables_to_appear_in_same_query!(accounts, invoices);
///
/// #[derive(Queryable, TenantScoped)]
/// #[diesel(table_name = accounts)]
/// pub struct Account { pub id: i64, pub tenant_id: i64, pub name: String }
///
/// #[derive(Queryable, TenantScoped)]
/// #[diesel(table_name = invoices)]
/// pub struct Invoice { pub id: i64, pub tenant_id: i64, pub account_id: i64 }
///
/// tenant_joinable!(invoices -> accounts (account_id));
///
/// # let ctx = tenant_diesel::doc_support::context("acme");
/// let with_names = Invoice::scoped(&ctx)
///     .inner_join(accounts::table)
///     .select((invoices::id, accounts::name));
/// # let _ = with_names;
/// ```
#[macro_export]
macro_rules! tenant_joinable {
    ($child:ident -> $parent:ident ($foreign_key:ident)) => {
        $crate::__assert_joinable!($child, $parent);
        $crate::__tenant_join_impl!(from $child to $parent; $child -> $parent ($foreign_key));
        $crate::__tenant_join_impl!(from $parent to $child; $child -> $parent ($foreign_key));
    };
}

/// Declares a join from a tenant table to a global table (`global_table!`), which
/// needs no tenant condition: `global_joinable!(accounts -> plans (plan_id));`.
#[macro_export]
macro_rules! global_joinable {
    ($child:ident -> $parent:ident ($foreign_key:ident)) => {
        $crate::__assert_joinable!($child, $parent);
        impl $crate::TenantJoin<$child::table> for $parent::table {
            type InnerOn = $crate::__key_equality!($child -> $parent ($foreign_key));
            type LeftOn = $crate::__key_equality!($child -> $parent ($foreign_key));
            type Joined = $crate::__private::JoinedGlobalTable;

            fn inner_on() -> Self::InnerOn {
                $crate::__key_equality_value!($child -> $parent ($foreign_key))
            }

            fn left_on(_tenant: $crate::TenantId) -> Self::LeftOn {
                $crate::__key_equality_value!($child -> $parent ($foreign_key))
            }
        }
    };
}

/// Refuses a pair Diesel may not join (tables missing from
/// `allow_tables_to_appear_in_same_query!`) at its declaration, once, with Diesel's
/// note naming that macro.
#[doc(hidden)]
#[macro_export]
macro_rules! __assert_joinable {
    ($child:ident, $parent:ident) => {
        const _: fn() = $crate::__private::assert_joinable::<$child::table, $parent::table>;
    };
}

/// The type of `child.fk = parent.pk`.
#[doc(hidden)]
#[macro_export]
macro_rules! __key_equality {
    ($child:ident -> $parent:ident ($foreign_key:ident)) => {
        $crate::__private::dsl::Eq<
            $child::$foreign_key,
            <$parent::table as $crate::__private::Table>::PrimaryKey,
        >
    };
}

/// The value of `child.fk = parent.pk`.
#[doc(hidden)]
#[macro_export]
macro_rules! __key_equality_value {
    ($child:ident -> $parent:ident ($foreign_key:ident)) => {
        $crate::__private::ExpressionMethods::eq(
            $child::$foreign_key,
            $crate::__private::Table::primary_key(&$parent::table),
        )
    };
}

/// The type of `(child.fk = parent.pk AND child.tenant = parent.tenant)`.
#[doc(hidden)]
#[macro_export]
macro_rules! __tenant_join_on {
    ($child:ident -> $parent:ident ($foreign_key:ident)) => {
        $crate::__private::dsl::And<
            $crate::__key_equality!($child -> $parent ($foreign_key)),
            $crate::__private::dsl::Eq<
                <$child::table as $crate::TenantTable>::TenantColumn,
                <$parent::table as $crate::TenantTable>::TenantColumn,
            >,
        >
    };
}

/// One direction of a tenant-to-tenant join, from `$from` to `$to`.
#[doc(hidden)]
#[macro_export]
macro_rules! __tenant_join_impl {
    (from $from:ident to $to:ident; $child:ident -> $parent:ident ($foreign_key:ident)) => {
        impl $crate::TenantJoin<$from::table> for $to::table {
            type InnerOn = $crate::__tenant_join_on!($child -> $parent ($foreign_key));
            type LeftOn = $crate::__private::dsl::And<
                $crate::__tenant_join_on!($child -> $parent ($foreign_key)),
                <$to::table as $crate::TenantTable>::TenantEq,
            >;
            type Joined = $crate::__private::JoinedTenantTable;

            fn inner_on() -> Self::InnerOn {
                $crate::__tenant_join_on_value!($child -> $parent ($foreign_key))
            }

            fn left_on(tenant: $crate::TenantId) -> Self::LeftOn {
                $crate::__private::BoolExpressionMethods::and(
                    $crate::__tenant_join_on_value!($child -> $parent ($foreign_key)),
                    <$to::table as $crate::TenantTable>::tenant_eq(tenant),
                )
            }
        }
    };
}

/// The value of `(child.fk = parent.pk AND child.tenant = parent.tenant)`.
#[doc(hidden)]
#[macro_export]
macro_rules! __tenant_join_on_value {
    ($child:ident -> $parent:ident ($foreign_key:ident)) => {
        $crate::__private::BoolExpressionMethods::and(
            $crate::__key_equality_value!($child -> $parent ($foreign_key)),
            $crate::__private::ExpressionMethods::eq(
                $crate::__private::tenant_column::<$child::table>(),
                $crate::__private::tenant_column::<$parent::table>(),
            ),
        )
    };
}
