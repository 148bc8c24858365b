//! How this crate names Diesel's expression node types that Diesel keeps private.
//!
//! Diesel's operators (`=`, `AND`, `OR`, `LIKE`, ..) and its `Grouped` wrapper are
//! public types in private modules: no path reaches them, only type aliases such as
//! `diesel::dsl::Eq<L, R>`, and those alias `Grouped<Eq<L, <R as
//! AsExpression<..>>::Expression>>`, a projection that an impl cannot match on.
//!
//! Diesel does implement one trait for every one of those nodes, structurally:
//! `FieldAliasMapper<S>`, which maps `Node<A, B>` to `Node<A::Out, B::Out>`. So
//! this module builds each node once with local placeholder types (the holes) in
//! its child positions, and then asks `FieldAliasMapper` to put the real children
//! in: `Refill<dsl::Eq<Hole0, Hole1>, (L, R)>` is `Grouped<Eq<L, R>>` for any `L`
//! and `R`. The impls of [`TenantSafe`](super::TenantSafe) name the nodes that way
//! and carry `L` and `R` in their proof type, which is what lets a child be a
//! type parameter of the impl.
//!
//! Nothing here is ever built at run time: the `map` bodies are unreachable.

use std::marker::PhantomData;

use diesel::expression::Expression;
use diesel::internal::derives::multiconnection::array_comparison::{
    AsInExpression, In, InExpression,
};
use diesel::internal::operators_macro::FieldAliasMapper;
use diesel::query_source::{Alias, AliasSource};
use diesel::sql_types::Bool;

/// The children to put into a node's holes: a tuple, one entry per hole.
///
/// An `AliasSource`, because Diesel's operator impls of `FieldAliasMapper` ask for
/// one; it is never used as an alias.
pub struct Fill<Children>(PhantomData<Children>);

impl<Children> AliasSource for Fill<Children> {
    const NAME: &'static str = "tenant_diesel_fill";
    type Target = NeverATable;

    fn target(&self) -> &NeverATable {
        unreachable!("a fill is a type, never a value")
    }
}

/// The `Target` of [`Fill`]: no table.
pub enum NeverATable {}

/// The node `Node`, with the children `Children` put into its holes.
pub type Refill<Node, Children> = <Node as FieldAliasMapper<Fill<Children>>>::Out;

/// The child at position `I` of a tuple of children.
pub trait Pick<const I: usize> {
    /// That child.
    type Picked;
}

impl<A> Pick<0> for (A,) {
    type Picked = A;
}
impl<A, B> Pick<0> for (A, B) {
    type Picked = A;
}
impl<A, B> Pick<1> for (A, B) {
    type Picked = B;
}
impl<A, B, C> Pick<0> for (A, B, C) {
    type Picked = A;
}
impl<A, B, C> Pick<1> for (A, B, C) {
    type Picked = B;
}
impl<A, B, C> Pick<2> for (A, B, C) {
    type Picked = C;
}

/// The first hole.
#[derive(Debug, Clone, Copy)]
pub struct Hole0;
/// The second hole.
#[derive(Debug, Clone, Copy)]
pub struct Hole1;
/// The third hole.
#[derive(Debug, Clone, Copy)]
pub struct Hole2;

macro_rules! hole_impls {
    ($($hole:ident: $index:tt),+) => {$(
        impl Expression for $hole {
            type SqlType = Bool;
        }
        impl<A> FieldAliasMapper<Fill<(A,)>> for $hole
        where
            (A,): Pick<$index>,
        {
            type Out = <(A,) as Pick<$index>>::Picked;
            fn map(self, _: &Alias<Fill<(A,)>>) -> Self::Out {
                unreachable!("a hole is a type, never a value")
            }
        }
        impl<A, B> FieldAliasMapper<Fill<(A, B)>> for $hole
        where
            (A, B): Pick<$index>,
        {
            type Out = <(A, B) as Pick<$index>>::Picked;
            fn map(self, _: &Alias<Fill<(A, B)>>) -> Self::Out {
                unreachable!("a hole is a type, never a value")
            }
        }
        impl<A, B, C> FieldAliasMapper<Fill<(A, B, C)>> for $hole
        where
            (A, B, C): Pick<$index>,
        {
            type Out = <(A, B, C) as Pick<$index>>::Picked;
            fn map(self, _: &Alias<Fill<(A, B, C)>>) -> Self::Out {
                unreachable!("a hole is a type, never a value")
            }
        }
    )+};
}

hole_impls!(Hole0: 0, Hole1: 1, Hole2: 2);

// Diesel's `Grouped<X>` (the parentheses around an operator) for any `X`: the
// grouped `IN` of `eq_any` is the one concrete `Grouped<..>` whose content is a
// type this crate can name (`In`), so a map of *its content* to `X` gives it.

/// The `IN` list of the placeholder `eq_any`.
#[derive(Debug, Clone, Copy)]
pub struct InHole;

impl InExpression for InHole {
    type SqlType = Bool;

    fn is_empty(&self) -> bool {
        unreachable!("a hole is a type, never a value")
    }

    fn is_array(&self) -> bool {
        unreachable!("a hole is a type, never a value")
    }
}

/// What `eq_any` takes to build [`InHole`].
#[derive(Debug, Clone, Copy)]
pub struct InListHole;

impl AsInExpression<Bool> for InListHole {
    type InExpression = InHole;

    fn as_in_expression(self) -> InHole {
        unreachable!("a hole is a type, never a value")
    }
}

/// Replaces the grouped content: not an `AliasSource`, so Diesel's own
/// `FieldAliasMapper` impls (which all ask for one) never apply to it, and this
/// crate may implement the trait for Diesel's `In` with it.
pub struct Content<X>(PhantomData<X>);

impl<X> FieldAliasMapper<Content<X>> for In<Hole0, InHole> {
    type Out = X;

    fn map(self, _: &Alias<Content<X>>) -> X {
        unreachable!("a hole is a type, never a value")
    }
}

/// Diesel's `Grouped<X>`: `(X)` in SQL.
pub type Grouped<X> = <diesel::dsl::EqAny<Hole0, InListHole> as FieldAliasMapper<Content<X>>>::Out;
