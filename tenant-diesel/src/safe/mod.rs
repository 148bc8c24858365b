//! The expression check of scoped queries: an allow-list of expression shapes.
//!
//! Every expression that enters a scoped query (a filter, a selection, an
//! ordering, a grouping, a `HAVING`, the id of `find`/`update`/`delete`, the value
//! of `set_column`) must be [`TenantSafe`] for the query's tables. The trait is
//! implemented for the node types this crate knows, each recursing into all of its
//! children, and for nothing else:
//!
//! - columns of the scoped tables (written by `#[derive(TenantScoped)]` and
//!   `global_table!`, for the columns they declare);
//! - bind values (`Bound`: any Rust value Diesel binds, never SQL text);
//! - Diesel's operators (comparisons, `AND`/`OR`/`NOT`, `LIKE`, `BETWEEN`,
//!   `IS NULL`, arithmetic, `||`), `IN` over a list of values, `ASC`/`DESC`,
//!   `nullable()`, `assume_not_null()`, casts, `COUNT(*)`, tuples, and a
//!   `Selectable` model's `as_select()` (through its select expression);
//! - the plain aggregates of [`tenant_diesel::dsl`](crate::dsl) (`count`, `sum`,
//!   `avg`, `min`, `max`), which build Diesel's own;
//! - SQL functions and operators declared with
//!   [`tenant_sql_function!`](crate::tenant_sql_function) and
//!   [`tenant_infix_operator!`](crate::tenant_infix_operator), whose arguments
//!   are checked the same way.
//!
//! Anything else does not compile: a subquery (`eq_any(select)`, `exists`,
//! `single_value()`, a boxed subquery), an aggregate's `FILTER` or `ORDER BY`, a
//! window's `PARTITION BY`/`ORDER BY`, an operator or function of Diesel's macros
//! that this crate was not told about, or a type of the application's with a
//! hand-written `AppearsOnTable`. Diesel's own `AppearsOnTable` is not used as the
//! check: Diesel checks only the function of an aggregate expression, and any type
//! may implement it by hand.
//!
//! The second parameter of [`TenantSafe`] is the proof: the shape of the
//! expression, which the compiler infers. Code never names it, except to be
//! generic over it (`E: TenantSafe<T, P>`).

pub(crate) mod aggregates;
mod holes;
mod nodes;

#[doc(hidden)]
pub use nodes::kind;

/// An expression that reads nothing outside the tables of a scoped query on `T`.
///
/// Required of every expression a [`Scoped`](crate::Scoped) query takes. `Proof`
/// is inferred: it records the expression's shape (see the module docs).
#[diagnostic::on_unimplemented(
    message = "`{Self}` may not appear in a tenant-scoped query on `{T}`",
    label = "not a column of the scoped tables, a bind value, or an operator or function this crate checks",
    note = "a scoped query takes columns of its own tables, Rust values, and Diesel's operators and plain aggregates over them; a subquery (`eq_any(select)`, `exists(..)`, `single_value()`), an aggregate's `FILTER`/`ORDER BY` and a window clause are not filtered by the tenant: run the inner query as its own scoped query (`Model::scoped(&ctx)`) and pass its values in",
    note = "a column of the model's table that is not a field of the model is declared with `#[tenant(columns(..))]`; a SQL function or operator of your own is declared with `tenant_sql_function!` or `tenant_infix_operator!`, which check its arguments"
)]
pub trait TenantSafe<T, Proof>: crate::seal::ImplementedByTenantDieselOnly<Proof> {}

/// The proofs of [`TenantSafe`]: one type per kind of node, never built.
#[doc(hidden)]
pub mod proof {
    /// A column of one of the scoped tables.
    pub enum Column {}
    /// A column of an alias of one of the scoped tables (`diesel::alias!`).
    pub enum AliasedColumn {}
    /// A scoped query as a scalar subquery (`Scoped::single_value`).
    pub enum ScalarSubquery {}
    /// A bind value.
    pub enum Bind {}
    /// A node without children (`COUNT(*)`, `now`).
    pub enum Leaf {}
    /// A node of kind `Kind` with the children `Children` and their proofs
    /// `Proofs`.
    pub struct Node<Kind, Children, Proofs>(std::marker::PhantomData<(Kind, Children, Proofs)>);
}
