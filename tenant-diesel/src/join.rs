//! Scoped joins. Each joinable pair is declared once, beside `diesel::joinable!`,
//! so the cost stays O(declared joins) and every `ON` clause is written out
//! concretely (Diesel's join kinds and `And` cannot be named in generic code).

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
pub trait TenantJoin<From: TenantTable> {
    /// The `FROM` clause of the inner join, for checking later expressions.
    type InnerSource;
    /// The scope's query with the inner join and both tenant filters.
    type Inner;
    /// The `FROM` clause of the left join.
    type LeftSource;
    /// The scope's query with the left join (its tenant filter inside `ON`).
    type Left;

    /// Builds the inner join for `tenant`.
    #[doc(hidden)]
    fn inner(tenant: TenantId) -> Self::Inner;

    /// Builds the left join for `tenant`.
    #[doc(hidden)]
    fn left(tenant: TenantId) -> Self::Left;
}

/// Joins start from the model's own scope, as Diesel's `table.inner_join(..)` does.
impl<T: TenantTable> Scoped<T, T::Filtered> {
    /// `INNER JOIN rhs`, with the tenant-equality term in `ON` and `rhs`'s tenant
    /// filter in `WHERE` (none for a global table). Declared with
    /// [`tenant_joinable!`] or [`global_joinable!`]; plain Diesel joins do not exist
    /// on a scoped query.
    pub fn inner_join<R>(self, rhs: R) -> Scoped<R::InnerSource, R::Inner>
    where
        R: TenantJoin<T>,
    {
        let _ = rhs;
        let tenant = self.bound_tenant();
        Scoped::new(R::inner(tenant), Some(tenant))
    }

    /// `LEFT JOIN rhs`, with `rhs`'s tenant filter inside `ON` so that unmatched
    /// rows stay (none for a global table). Select `rhs`'s columns with
    /// `.nullable()`, as in Diesel.
    pub fn left_join<R>(self, rhs: R) -> Scoped<R::LeftSource, R::Left>
    where
        R: TenantJoin<T>,
    {
        let _ = rhs;
        let tenant = self.bound_tenant();
        Scoped::new(R::left(tenant), Some(tenant))
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
        $crate::__tenant_join_impl!(from $child to $parent; $child -> $parent ($foreign_key));
        $crate::__tenant_join_impl!(from $parent to $child; $child -> $parent ($foreign_key));
    };
}

/// Declares a join from a tenant table to a global table (`global_table!`), which
/// needs no tenant condition: `global_joinable!(accounts -> plans (plan_id));`.
#[macro_export]
macro_rules! global_joinable {
    ($child:ident -> $parent:ident ($foreign_key:ident)) => {
        impl $crate::TenantJoin<$child::table> for $parent::table {
            type InnerSource = $crate::__private::dsl::InnerJoinQuerySource<
                $child::table,
                $parent::table,
                $crate::__key_equality!($child -> $parent ($foreign_key)),
            >;
            type Inner = $crate::__private::dsl::InnerJoinOn<
                <$child::table as $crate::TenantTable>::Filtered,
                $parent::table,
                $crate::__key_equality!($child -> $parent ($foreign_key)),
            >;
            type LeftSource = $crate::__private::dsl::LeftJoinQuerySource<
                $child::table,
                $parent::table,
                $crate::__key_equality!($child -> $parent ($foreign_key)),
            >;
            type Left = $crate::__private::dsl::LeftJoinOn<
                <$child::table as $crate::TenantTable>::Filtered,
                $parent::table,
                $crate::__key_equality!($child -> $parent ($foreign_key)),
            >;

            fn inner(tenant: $crate::TenantId) -> Self::Inner {
                $crate::__private::QueryDsl::inner_join(
                    <$child::table as $crate::TenantTable>::tenant_filter(tenant),
                    $crate::__private::JoinOnDsl::on(
                        $parent::table,
                        $crate::__key_equality_value!($child -> $parent ($foreign_key)),
                    ),
                )
            }

            fn left(tenant: $crate::TenantId) -> Self::Left {
                $crate::__private::QueryDsl::left_join(
                    <$child::table as $crate::TenantTable>::tenant_filter(tenant),
                    $crate::__private::JoinOnDsl::on(
                        $parent::table,
                        $crate::__key_equality_value!($child -> $parent ($foreign_key)),
                    ),
                )
            }
        }
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
            type InnerSource = $crate::__private::dsl::InnerJoinQuerySource<
                $from::table,
                $to::table,
                $crate::__tenant_join_on!($child -> $parent ($foreign_key)),
            >;
            type Inner = $crate::__private::dsl::Filter<
                $crate::__private::dsl::InnerJoinOn<
                    <$from::table as $crate::TenantTable>::Filtered,
                    $to::table,
                    $crate::__tenant_join_on!($child -> $parent ($foreign_key)),
                >,
                <$to::table as $crate::TenantTable>::TenantEq,
            >;
            type LeftSource = $crate::__private::dsl::LeftJoinQuerySource<
                $from::table,
                $to::table,
                $crate::__private::dsl::And<
                    $crate::__tenant_join_on!($child -> $parent ($foreign_key)),
                    <$to::table as $crate::TenantTable>::TenantEq,
                >,
            >;
            type Left = $crate::__private::dsl::LeftJoinOn<
                <$from::table as $crate::TenantTable>::Filtered,
                $to::table,
                $crate::__private::dsl::And<
                    $crate::__tenant_join_on!($child -> $parent ($foreign_key)),
                    <$to::table as $crate::TenantTable>::TenantEq,
                >,
            >;

            fn inner(tenant: $crate::TenantId) -> Self::Inner {
                $crate::__private::FilterDsl::filter(
                    $crate::__private::QueryDsl::inner_join(
                        <$from::table as $crate::TenantTable>::tenant_filter(tenant),
                        $crate::__private::JoinOnDsl::on(
                            $to::table,
                            $crate::__tenant_join_on_value!($child -> $parent ($foreign_key)),
                        ),
                    ),
                    <$to::table as $crate::TenantTable>::tenant_eq(tenant),
                )
            }

            fn left(tenant: $crate::TenantId) -> Self::Left {
                $crate::__private::QueryDsl::left_join(
                    <$from::table as $crate::TenantTable>::tenant_filter(tenant),
                    $crate::__private::JoinOnDsl::on(
                        $to::table,
                        $crate::__private::BoolExpressionMethods::and(
                            $crate::__tenant_join_on_value!($child -> $parent ($foreign_key)),
                            <$to::table as $crate::TenantTable>::tenant_eq(tenant),
                        ),
                    ),
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
