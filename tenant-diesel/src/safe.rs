use std::marker::PhantomData;

use diesel::expression::AppearsOnTable;
use diesel::query_source::AppearsInFromClause;

/// The tables of a scoped query, as a stand-in query source for type checks.
///
/// It answers Diesel's `AppearsInFromClause` exactly like `T`, so the columns of
/// `T` are accepted and those of any other table are not. It is *not* a
/// `QuerySource`, so Diesel itself refuses a (non-boxed) subquery inside an
/// expression checked against it: a subquery is only valid against a real query
/// source.
pub struct Only<T>(PhantomData<T>);

impl<T, Other> AppearsInFromClause<Other> for Only<T>
where
    T: AppearsInFromClause<Other>,
{
    type Count = T::Count;
}

/// An expression that reads nothing outside the tables of a scoped query on `T`.
///
/// Required of every `filter`, `select` and `order` expression of a
/// [`Scoped`](crate::Scoped) query.
#[diagnostic::on_unimplemented(
    message = "this expression reads outside the tenant-scoped query on `{T}`",
    label = "not allowed in a tenant-scoped query",
    note = "only columns of the scoped tables may appear here; a subquery (`eq_any(select)`, `exists(..)`, `single_value()`) is not filtered by the tenant: run it as its own scoped query (`Model::scoped(&ctx)`) and pass its values in"
)]
pub trait TenantSafe<T> {}

#[diagnostic::do_not_recommend]
impl<E, T> TenantSafe<T> for E where E: AppearsOnTable<Only<T>> {}
