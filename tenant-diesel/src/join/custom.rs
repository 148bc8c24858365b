//! A join with a condition of the application's, `.inner_join(b::table.on(..))`:
//! for pairs Diesel cannot derive (a foreign key of another integer width, a
//! second foreign key to one table, a condition that is not a key), and to join
//! a table to one that is not the scope's first.
//!
//! The condition is checked like a filter ([`TenantSafe`] against the joined
//! tables: columns, values, operators; no subquery), and the tenant terms are
//! added to it as to a declared pair, with the scope's first table:
//! - inner: `ON (b.tenant = a.tenant AND <condition>) WHERE .. AND b.tenant = $1`;
//! - left: `ON ((b.tenant = a.tenant AND b.tenant = $1) AND <condition>)`;
//! - a global table: `ON <condition>`.

use diesel::dsl;
use diesel::expression::{AsExpression, Expression};
use diesel::internal::table_macro::{Inner, Join, JoinOn, LeftOuter};
use diesel::query_dsl::methods::FilterDsl;
use diesel::query_dsl::InternalJoinDsl;
use diesel::query_source::{AppearsInFromClause, JoinTo, QuerySource};
use diesel::sql_types::{Bool, Nullable, SingleValue};
use diesel::{BoolExpressionMethods, ExpressionMethods};

use super::{AbsentFrom, ArgumentWithOn, FirstTable, IfAbsent, JoinOnto, SameTenantColumns};
use crate::safe::{proof, TenantSafe};
use crate::scoped::column_tenant;
use crate::table::{tenant_column, GlobalKind, TableKind, TenantKind, TenantTable};
use tenant_core::AnyTenantId;

/// `b.tenant = a.tenant`: the joined table's tenant column equal to the first
/// table's.
type TenantEquality<R, P> =
    dsl::Eq<<R as TenantTable>::TenantColumn, <P as TenantTable>::TenantColumn>;

/// `terms AND condition`, for a condition of SQL type `ST`.
type WithCondition<Terms, On> = <<On as Expression>::SqlType as Condition<Terms, On>>::And;

/// `Joined`, once the condition has a proof of its check: the kind of table a
/// join with a condition dispatches on. While the check has none (the
/// condition is refused), the proof is unknown, so is this type, and the
/// compiler reports the check's message alone instead of Diesel's join bounds
/// beside it.
type Checked<Proof, Joined> = <Proof as ProofOf<Joined>>::Then;

/// `Self` is the proof of a condition's check; see [`Checked`].
#[doc(hidden)]
pub trait ProofOf<Joined> {
    /// `Joined`.
    type Then;
}

// `Joined` is computed through every node of the proof, from the first leaf to
// the last, so that one unknown leaf (a refused node deep in the condition, as
// in `id.eq_any(boxed)`) leaves it unknown too, and `JoinWithOn`, implemented for
// several kinds of table, cannot pick one: the check's message is then the only
// one. A blanket `type Then = Joined` resolved as soon as the proof's outer nodes
// were known, and Diesel's join bounds were reported first.
impl<Joined> ProofOf<Joined> for () {
    type Then = Joined;
}

impl<Kind, Children, Proofs: ProofOf<Joined>, Joined> ProofOf<Joined>
    for proof::Node<Kind, Children, Proofs>
{
    type Then = Proofs::Then;
}

macro_rules! leaf_proofs {
    ($($leaf:ident),*) => {$(
        impl<Joined> ProofOf<Joined> for proof::$leaf {
            type Then = Joined;
        }
    )*};
}

leaf_proofs!(Column, AliasedColumn, ScalarSubquery, Bind, Leaf);

// The proofs of a node's children, as a tuple (the arities of `TenantSafe`'s
// tuples): `Then` passes `Joined` through each proof in turn.
macro_rules! tuple_proofs {
    ($(($($p:ident)+))+) => {$(
        tuple_proofs!(@each [$($p)+] [$($p)+] [] Joined);
    )+};
    (@each [$($all:ident)+] [$next:ident $($rest:ident)*] [$($bounds:tt)*] $then:ty) => {
        tuple_proofs!(@each [$($all)+] [$($rest)*] [$($bounds)* $next: ProofOf<$then>,]
            <$next as ProofOf<$then>>::Then);
    };
    (@each [$($all:ident)+] [] [$($bounds:tt)*] $then:ty) => {
        impl<Joined, $($all),+> ProofOf<Joined> for ($($all,)+)
        where
            $($bounds)*
        {
            type Then = $then;
        }
    };
}

tuple_proofs! {
    (A)
    (A B)
    (A B C)
    (A B C D)
    (A B C D E)
    (A B C D E F)
    (A B C D E F G)
    (A B C D E F G H)
    (A B C D E F G H I)
    (A B C D E F G H I J)
    (A B C D E F G H I J K)
    (A B C D E F G H I J K L)
    (A B C D E F G H I J K L M)
    (A B C D E F G H I J K L M N)
    (A B C D E F G H I J K L M N O)
    (A B C D E F G H I J K L M N O Q)
}

/// The kind of table `R` is, once it is known to be absent from `S` and the
/// condition is checked.
type Dispatch<S, R, Proof> = Checked<Proof, IfAbsent<S, R, <R as TableKind>::Kind>>;

/// A table with its own condition as the argument of `inner_join`/`left_join`:
/// the condition is checked like a filter against the joined tables, then the
/// join is built by its kind of table (`R::Kind`).
impl<R, On, S, Q, K, Proof> JoinOnto<dsl::On<R, On>, S, Q, K, Proof> for ArgumentWithOn
where
    R: TableKind + QuerySource,
    S: FirstTable + AppearsInFromClause<R> + QuerySource,
    S::Count: AbsentFrom<R, R::Kind>,
    S::Table: JoinTo<dsl::On<R, On>, FromClause = R, OnClause = On>,
    On: TenantSafe<Join<S, R, K>, Proof>,
    Proof: ProofOf<IfAbsent<S, R, <R as TableKind>::Kind>>,
    Dispatch<S, R, Proof>: JoinWithOn<R, On, S, Q, S::Table, K, Proof>,
{
    type Source = <Dispatch<S, R, Proof> as JoinWithOn<R, On, S, Q, S::Table, K, Proof>>::Source;
    type Query = <Dispatch<S, R, Proof> as JoinWithOn<R, On, S, Q, S::Table, K, Proof>>::Query;

    fn join_onto(argument: dsl::On<R, On>, query: Q, tenant: AnyTenantId) -> Self::Query {
        // Diesel's own way to take a `table.on(..)` apart.
        let (table, on) = <S::Table as JoinTo<dsl::On<R, On>>>::join_target(argument);
        <Dispatch<S, R, Proof> as JoinWithOn<R, On, S, Q, S::Table, K, Proof>>::join_with_on(
            table, on, query, tenant,
        )
    }
}

/// `Self`, the SQL type of a join's condition, takes the tenant terms with
/// `AND`: `Bool` or `Nullable<Bool>` (a condition on a nullable column).
///
/// One impl per type, so that Diesel's `and` is called where the types are
/// known: its bounds cannot be written in generic code.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "the condition of a join is a boolean expression, not one of SQL type `{Self}`",
    label = "not `Bool` or `Nullable<Bool>`",
    note = "write a comparison: `.on(c::b_id.eq(b::id))`"
)]
pub trait Condition<Terms, On> {
    /// `terms AND on`.
    type And;

    /// `terms AND on`.
    fn and(terms: Terms, on: On) -> Self::And;
}

impl<Terms, On> Condition<Terms, On> for Bool
where
    Terms: Expression<SqlType = Bool>,
    On: Expression<SqlType = Bool>,
{
    type And = dsl::And<Terms, On, Bool>;

    fn and(terms: Terms, on: On) -> Self::And {
        terms.and(on)
    }
}

impl<Terms, On> Condition<Terms, On> for Nullable<Bool>
where
    Terms: Expression<SqlType = Bool>,
    On: Expression<SqlType = Nullable<Bool>>,
{
    type And = dsl::And<Terms, On, Nullable<Bool>>;

    fn and(terms: Terms, on: On) -> Self::And {
        terms.and(on)
    }
}

/// Joins the table `R` (of kind `Self`) onto the scope's first table `P` with
/// the application's condition `On`, which `Proof` checked.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "a join with its own condition takes a tenant table or a global table, not `{R}`",
    label = "not a table the scope can add its tenant terms to",
    note = "join a table whose model derives `TenantScoped`, or one declared with `global_table!`; a table reached through its parent is joined from its parent's scope"
)]
pub trait JoinWithOn<R, On, S, Q, P, K, Proof> {
    /// The tables of the joined query.
    type Source;
    /// The joined query.
    type Query;

    /// Joins `table` onto `query` on `on` and the tenant terms.
    fn join_with_on(table: R, on: On, query: Q, tenant: AnyTenantId) -> Self::Query;
}

/// The condition of an inner join with a tenant table: its tenant equality and
/// the application's condition.
type InnerOn<R, P, On> = WithCondition<TenantEquality<R, P>, On>;

/// The tenant terms of a left join of the tenant table `Self` onto `P`: its
/// tenant equality and its tenant filter, `(b.tenant = a.tenant AND b.tenant =
/// $1)`. A trait of its own so that the terms' type stays one name where the
/// application's condition is added to it.
#[doc(hidden)]
pub trait LeftTenantTerms<P> {
    /// The terms.
    type Terms: Expression<SqlType = Bool>;

    /// The terms for `tenant`.
    fn left_tenant_terms(tenant: AnyTenantId) -> Self::Terms;
}

impl<R, P> LeftTenantTerms<P> for R
where
    P: TenantTable,
    R: TenantTable,
    <R::TenantColumn as Expression>::SqlType:
        SameTenantColumns<<P::TenantColumn as Expression>::SqlType> + SingleValue,
    P::TenantColumn: AsExpression<<R::TenantColumn as Expression>::SqlType>,
    TenantEquality<R, P>: Expression<SqlType = Bool>,
    R::TenantEq: Expression<SqlType = Bool>,
    <Bool as Condition<TenantEquality<R, P>, R::TenantEq>>::And: Expression<SqlType = Bool>,
{
    type Terms = <Bool as Condition<TenantEquality<R, P>, R::TenantEq>>::And;

    fn left_tenant_terms(tenant: AnyTenantId) -> Self::Terms {
        <Bool as Condition<TenantEquality<R, P>, R::TenantEq>>::and(
            tenant_equality::<R, P>(),
            R::tenant_eq(column_tenant::<R>(tenant)),
        )
    }
}

/// The condition of a left join with a tenant table.
type LeftOn<R, P, On> = WithCondition<<R as LeftTenantTerms<P>>::Terms, On>;

/// `b.tenant = a.tenant`, of one column type (`SameTenantColumns`).
fn tenant_equality<R, P>() -> TenantEquality<R, P>
where
    R: TenantTable,
    P: TenantTable,
    <R::TenantColumn as Expression>::SqlType:
        SameTenantColumns<<P::TenantColumn as Expression>::SqlType> + SingleValue,
    P::TenantColumn: AsExpression<<R::TenantColumn as Expression>::SqlType>,
{
    tenant_column::<R>().eq(tenant_column::<P>())
}

impl<R, On, S, Q, P, Proof> JoinWithOn<R, On, S, Q, P, Inner, Proof> for TenantKind
where
    S: QuerySource,
    P: TenantTable,
    R: TenantTable,
    <R::TenantColumn as Expression>::SqlType:
        SameTenantColumns<<P::TenantColumn as Expression>::SqlType> + SingleValue,
    P::TenantColumn: AsExpression<<R::TenantColumn as Expression>::SqlType>,
    TenantEquality<R, P>: Expression<SqlType = Bool>,
    On: Expression,
    On::SqlType: Condition<TenantEquality<R, P>, On>,
    Q: InternalJoinDsl<R, Inner, InnerOn<R, P, On>>,
    Q::Output: FilterDsl<R::TenantEq>,
{
    type Source = JoinOn<Join<S, R, Inner>, InnerOn<R, P, On>>;
    type Query = dsl::Filter<Q::Output, R::TenantEq>;

    fn join_with_on(table: R, on: On, query: Q, tenant: AnyTenantId) -> Self::Query {
        let condition = On::SqlType::and(tenant_equality::<R, P>(), on);
        query
            .join(table, Inner, condition)
            .filter(R::tenant_eq(column_tenant::<R>(tenant)))
    }
}

impl<R, On, S, Q, P, Proof> JoinWithOn<R, On, S, Q, P, LeftOuter, Proof> for TenantKind
where
    S: QuerySource,
    R: TenantTable + LeftTenantTerms<P>,
    On: Expression,
    On::SqlType: Condition<R::Terms, On>,
    Q: InternalJoinDsl<R, LeftOuter, LeftOn<R, P, On>>,
{
    type Source = JoinOn<Join<S, R, LeftOuter>, LeftOn<R, P, On>>;
    type Query = Q::Output;

    fn join_with_on(table: R, on: On, query: Q, tenant: AnyTenantId) -> Self::Query {
        let terms = R::left_tenant_terms(tenant);
        query.join(table, LeftOuter, On::SqlType::and(terms, on))
    }
}

/// A global table: the application's condition alone, no tenant owns its rows.
impl<R, On, S, Q, P, K, Proof> JoinWithOn<R, On, S, Q, P, K, Proof> for GlobalKind
where
    S: QuerySource,
    R: QuerySource,
    K: Default,
    Q: InternalJoinDsl<R, K, On>,
{
    type Source = JoinOn<Join<S, R, K>, On>;
    type Query = Q::Output;

    fn join_with_on(table: R, on: On, query: Q, _tenant: AnyTenantId) -> Self::Query {
        query.join(table, K::default(), on)
    }
}
