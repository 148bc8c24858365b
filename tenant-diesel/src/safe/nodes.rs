//! [`TenantSafe`] for the expression nodes of Diesel this crate knows: each impl
//! recurses into every child of its node. A node that is not here is refused.

use diesel::dsl;

use diesel::internal::derives::as_expression::Bound;
use diesel::internal::derives::multiconnection::array_comparison::{In, Many, NotIn};
use diesel::internal::derives::multiconnection::Concat;
use diesel::internal::derives::numeric_ops::{Add, Div, Mul, Sub};
use diesel::Selectable;

use super::holes::{Grouped, Hole0, Hole1, Hole2, Refill};
use super::proof::{Bind, Leaf, Node};
use super::TenantSafe;
use crate::seal::ImplementedByTenantDieselOnly;

/// `TenantSafe` for a node type, with its seal: `[generics] proof => type; bounds`.
/// `T`, the scoped tables, is the first generic of every impl.
/// A type whose well-formedness needs bounds of its own (`SelectBy<M, DB>` needs
/// `M: Selectable<DB>`) takes them in `where [..]`, for both impls.
macro_rules! node {
    ([$($g:ident),*] $(where [$($wf:tt)+])? $proof:ty => $ty:ty $(; $($bound:tt)+)?) => {
        impl<$($g),*> ImplementedByTenantDieselOnly<$proof> for $ty $(where $($wf)+)? {}
        impl<T, $($g),*> TenantSafe<T, $proof> for $ty
        where
            $($($wf)+,)?
            $($($bound)+)?
        {
        }
    };
}

/// The kinds of node, for the proofs.
#[doc(hidden)]
pub mod kind {
    macro_rules! kinds {
        ($($kind:ident),+ $(,)?) => {$(
            #[doc(hidden)]
            pub enum $kind {}
        )+};
    }
    kinds!(
        Eq,
        NotEq,
        Gt,
        GtEq,
        Lt,
        LtEq,
        And,
        Or,
        Like,
        NotLike,
        Concat,
        Between,
        NotBetween,
        In,
        NotIn,
        Many,
        Grouped,
        IsNull,
        IsNotNull,
        Not,
        Asc,
        Desc,
        Nullable,
        AssumeNotNull,
        Cast,
        Add,
        Sub,
        Mul,
        Div,
        Count,
        Sum,
        Avg,
        Min,
        Max,
        Tuple,
        SelectBy,
        Function,
        Operator,
    );
}

// A bind value: the Rust value `U` bound as SQL type `ST`. Never SQL text.
node!([ST, U] Bind => Bound<ST, U>);

// `COUNT(*)`.
node!([] Leaf => dsl::count_star);

// `CURRENT_TIMESTAMP`.
node!([] Leaf => dsl::now);

// Binary operators, named through their type alias with holes for children.
macro_rules! binary {
    ($($kind:ident => $alias:ident),+ $(,)?) => {$(
        node!([L, R, PL, PR] Node<kind::$kind, (L, R), (PL, PR)>
            => Refill<dsl::$alias<Hole0, Hole1>, (L, R)>;
            L: TenantSafe<T, PL>, R: TenantSafe<T, PR>);
    )+};
}

binary!(
    Eq => Eq,
    NotEq => NotEq,
    Gt => Gt,
    GtEq => GtEq,
    Lt => Lt,
    LtEq => LtEq,
    And => And,
    Or => Or,
    Like => Like,
    NotLike => NotLike,
);

// `a || b`: Diesel's `Concat` is public, its parentheses are `Grouped`.
node!([L, R, PL, PR] Node<kind::Concat, (L, R), (PL, PR)> => Grouped<Concat<L, R>>;
    L: TenantSafe<T, PL>, R: TenantSafe<T, PR>);

// `BETWEEN` and `NOT BETWEEN`: the operand and both bounds.
macro_rules! between {
    ($($kind:ident => $alias:ident),+) => {$(
        node!([X, Lo, Hi, PX, PLo, PHi] Node<kind::$kind, (X, Lo, Hi), (PX, PLo, PHi)>
            => Refill<dsl::$alias<Hole0, Hole1, Hole2>, (X, Lo, Hi)>;
            X: TenantSafe<T, PX>, Lo: TenantSafe<T, PLo>, Hi: TenantSafe<T, PHi>);
    )+};
}

between!(Between => Between, NotBetween => NotBetween);

// Arithmetic: Diesel's numeric operator types are public.
macro_rules! arithmetic {
    ($($kind:ident => $node:ident),+) => {$(
        node!([L, R, PL, PR] Node<kind::$kind, (L, R), (PL, PR)> => $node<L, R>;
            L: TenantSafe<T, PL>, R: TenantSafe<T, PR>);
    )+};
}

arithmetic!(Add => Add, Sub => Sub, Mul => Mul, Div => Div);

// `(X)`: Diesel's parentheses, around `IN` lists.
node!([X, PX] Node<kind::Grouped, (X,), (PX,)> => Grouped<X>; X: TenantSafe<T, PX>);

// `x IN (..)`: the operand and the list.
node!([L, R, PL, PR] Node<kind::In, (L, R), (PL, PR)> => In<L, R>;
    L: TenantSafe<T, PL>, R: TenantSafe<T, PR>);

// `x NOT IN (..)`: the operand and the list.
node!([L, R, PL, PR] Node<kind::NotIn, (L, R), (PL, PR)> => NotIn<L, R>;
    L: TenantSafe<T, PL>, R: TenantSafe<T, PR>);

// The list of `IN (..)` built from Rust values: each item becomes an expression
// of `ST`, which must be safe (a bind value, or a safe expression). A subquery is
// a different type, and is refused.
node!([ST, I, P] Node<kind::Many, (I,), (P,)> => Many<ST, I>;
    I: diesel::expression::AsExpression<ST>,
    ST: diesel::sql_types::SqlType + diesel::expression::TypedExpressionType,
    I::Expression: TenantSafe<T, P>);

// Wrappers with public type aliases: one child each.
macro_rules! unary {
    ($($kind:ident => $($alias:ident)::+),+ $(,)?) => {$(
        node!([X, PX] Node<kind::$kind, (X,), (PX,)> => $($alias)::+<X>; X: TenantSafe<T, PX>);
    )+};
}

unary!(
    IsNull => dsl::IsNull,
    IsNotNull => dsl::IsNotNull,
    Not => dsl::not,
    Asc => dsl::Asc,
    Desc => dsl::Desc,
    Nullable => dsl::Nullable,
    AssumeNotNull => dsl::AssumeNotNull,
);

// `CAST(x AS ST)`.
node!([X, ST, PX] Node<kind::Cast, (X,), (PX,)> => dsl::Cast<X, ST>; X: TenantSafe<T, PX>);

// A `Selectable` model's `as_select()`: what it selects is its select expression,
// which a hand-written `Selectable` (or a field's `select_expression`) chooses.
node!([M, DB, P] where [DB: diesel::backend::Backend, M: Selectable<DB>]
    Node<kind::SelectBy, (M,), (P,)> => dsl::AsSelect<M, DB>;
    M::SelectExpression: TenantSafe<T, P>);

// Tuples: selections, groupings and orderings of several expressions.
macro_rules! tuples {
    ($(($($x:ident $p:ident),+))+) => {$(
        node!([$($x, $p),+] Node<kind::Tuple, ($($x,)+), ($($p,)+)> => ($($x,)+);
            $($x: TenantSafe<T, $p>,)+);
    )+};
}

tuples! {
    (A PA)
    (A PA, B PB)
    (A PA, B PB, C PC)
    (A PA, B PB, C PC, D PD)
    (A PA, B PB, C PC, D PD, E PE)
    (A PA, B PB, C PC, D PD, E PE, F PF)
    (A PA, B PB, C PC, D PD, E PE, F PF, G PG)
    (A PA, B PB, C PC, D PD, E PE, F PF, G PG, H PH)
    (A PA, B PB, C PC, D PD, E PE, F PF, G PG, H PH, I PI)
    (A PA, B PB, C PC, D PD, E PE, F PF, G PG, H PH, I PI, J PJ)
    (A PA, B PB, C PC, D PD, E PE, F PF, G PG, H PH, I PI, J PJ, K PK)
    (A PA, B PB, C PC, D PD, E PE, F PF, G PG, H PH, I PI, J PJ, K PK, L PL)
    (A PA, B PB, C PC, D PD, E PE, F PF, G PG, H PH, I PI, J PJ, K PK, L PL, M PM)
    (A PA, B PB, C PC, D PD, E PE, F PF, G PG, H PH, I PI, J PJ, K PK, L PL, M PM, N PN)
    (A PA, B PB, C PC, D PD, E PE, F PF, G PG, H PH, I PI, J PJ, K PK, L PL, M PM, N PN, O PO)
    (A PA, B PB, C PC, D PD, E PE, F PF, G PG, H PH, I PI, J PJ, K PK, L PL, M PM, N PN, O PO, Q PQ)
}
