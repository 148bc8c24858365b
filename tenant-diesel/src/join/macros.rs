//! The declarations of joinable pairs: `tenant_joinable!` and `global_joinable!`,
//! and the pieces of `ON` clause they share.

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
/// # let ctx = tenant_core::doc_support::context("acme");
/// let with_names = Invoice::scoped(&ctx)
///     .inner_join(accounts::table)
///     .select((invoices::id, accounts::name));
/// # let _ = with_names;
/// ```
#[macro_export]
macro_rules! tenant_joinable {
    ($child:ident -> $parent:ident ($foreign_key:ident)) => {
        // First, so that a pair whose tenant columns differ reads this
        // sentence before Diesel's refusal of the comparison.
        impl $crate::__private::TenantJoinPair<$parent::table> for $child::table
        where
            <<$child::table as $crate::TenantTable>::TenantColumn as $crate::__private::Expression>::SqlType:
                $crate::__private::SameTenantColumns<
                    <<$parent::table as $crate::TenantTable>::TenantColumn as $crate::__private::Expression>::SqlType,
                >,
        {
        }
        $crate::__assert_joinable!($child, $parent);
        $crate::__tenant_join_impl!(from $child to $parent; $child -> $parent ($foreign_key));
        $crate::__tenant_join_impl!(from $parent to $child; $child -> $parent ($foreign_key));
        $crate::__same_tenant_reference!($child -> $parent ($foreign_key));
    };
}

/// The SQL name of the pair's foreign key, from which the database-side checks
/// of same-tenant references are generated (`SameTenantReference`). One
/// constant, evaluated only where a migration or trigger set names the pair;
/// the other names come from the two tables' declarations.
#[doc(hidden)]
#[macro_export]
macro_rules! __same_tenant_reference {
    ($child:ident -> $parent:ident ($foreign_key:ident)) => {
        impl
            $crate::__private::ImplementedByTenantDieselOnly<
                $crate::__private::ReferenceSeal<$parent::table>,
            > for $child::table
        {
        }
        impl $crate::SameTenantReference<$parent::table> for $child::table {
            const FOREIGN_KEY: &'static str =
                <$child::$foreign_key as $crate::__private::Column>::NAME;
        }
    };
}

/// Declares a join from a tenant table to a global table (`global_table!`), which
/// needs no tenant condition: `global_joinable!(accounts -> plans (plan_id));`.
#[macro_export]
macro_rules! global_joinable {
    ($child:ident -> $parent:ident ($foreign_key:ident)) => {
        $crate::__assert_joinable!($child, $parent);
        // No tenant term joins the parent: it must be a table every tenant shares.
        const _: fn() = $crate::__private::assert_global::<$parent::table>;
        impl $crate::__private::ImplementedByTenantDieselOnly<$crate::__private::JoinSeal<$child::table>>
            for $parent::table
        {
        }
        impl $crate::TenantJoin<$child::table> for $parent::table {
            type InnerOn = $crate::__key_equality!($child -> $parent ($foreign_key));
            type LeftOn = $crate::__key_equality!($child -> $parent ($foreign_key));
            type Joined = $crate::__private::JoinedGlobalTable;

            fn inner_on() -> Self::InnerOn {
                $crate::__key_equality_value!($child -> $parent ($foreign_key))
            }

            fn left_on(_tenant: $crate::AnyTenantId) -> Self::LeftOn {
                $crate::__key_equality_value!($child -> $parent ($foreign_key))
            }
        }
    };
}

/// Refuses a pair Diesel may not join (tables missing from
/// `allow_tables_to_appear_in_same_query!`) at its declaration, once, with a
/// sentence naming that macro.
#[doc(hidden)]
#[macro_export]
macro_rules! __assert_joinable {
    ($child:ident, $parent:ident) => {
        const _: fn() = $crate::__private::assert_joinable::<$child::table, $parent::table>;
        const _: fn() = $crate::__private::assert_row_key_is_a_column::<$parent::table>;
    };
}

/// The type of `child.fk = parent.key`, the parent's primary key without its
/// tenant column ([`RowKey`](crate::RowKey)): `accounts.id` whether the key is
/// `(id)` or `(tenant_id, id)`. Both sides are compared as nullable, as
/// `diesel::joinable!` compares them, so that a nullable foreign key joins (the
/// SQL is the same).
#[doc(hidden)]
#[macro_export]
macro_rules! __key_equality {
    ($child:ident -> $parent:ident ($foreign_key:ident)) => {
        $crate::__private::dsl::Eq<
            $crate::__private::dsl::Nullable<$child::$foreign_key>,
            $crate::__private::dsl::Nullable<$crate::RowKey<$parent::table>>,
        >
    };
}

/// The value of `child.fk = parent.key`.
#[doc(hidden)]
#[macro_export]
macro_rules! __key_equality_value {
    ($child:ident -> $parent:ident ($foreign_key:ident)) => {
        $crate::__private::ExpressionMethods::eq(
            $crate::__private::NullableExpressionMethods::nullable($child::$foreign_key),
            $crate::__private::NullableExpressionMethods::nullable(
                <$crate::RowKey<$parent::table> as ::core::default::Default>::default(),
            ),
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
        impl $crate::__private::ImplementedByTenantDieselOnly<$crate::__private::JoinSeal<$from::table>>
            for $to::table
        {
        }
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

            fn left_on(tenant: $crate::AnyTenantId) -> Self::LeftOn {
                $crate::__private::BoolExpressionMethods::and(
                    $crate::__tenant_join_on_value!($child -> $parent ($foreign_key)),
                    <$to::table as $crate::TenantTable>::tenant_eq(
                        $crate::__private::column_tenant::<$to::table>(tenant),
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
