//! Which statements give rows back on which backend: every read does, and a
//! write (`INSERT`, `UPDATE`, `DELETE`) only where the database has
//! `RETURNING`. MySQL and MariaDB have none, so `get_result`, `get_results` and
//! `load` of a scoped write there are compile errors that name what to do
//! instead, not Diesel's missing `QueryFragment` of a returning clause.

use diesel::backend::Backend;
use diesel::internal::table_macro::{BoxedSelectStatement, SelectStatement};
use diesel::query_builder::{DeleteStatement, InsertStatement, QueryId, UpdateStatement};
use diesel::QuerySource;

use crate::owned::ParentCheckedInsert;
use crate::scoped::Scoped;
use crate::table::TableKind;
use crate::upsert::Insert;

/// A backend whose writes give the written rows back (`RETURNING`):
/// PostgreSQL, and SQLite (3.35 and later).
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no `RETURNING`: a write gives no rows back on MySQL or MariaDB",
    label = "`get_result`, `get_results` or `load` of an insert, update or delete",
    note = "run the write with `.execute(tx)` (the number of rows written), then read the rows back through the scope in the same `conn.transaction(|tx| ..)`: `Model::scoped(&ctx).find(id).first(tx)`"
)]
pub trait ReturningBackend: Backend {}

#[cfg(feature = "sqlite")]
impl ReturningBackend for diesel::sqlite::Sqlite {}
#[cfg(feature = "postgres")]
impl ReturningBackend for diesel::pg::Pg {}

/// A query whose rows the preludes' `load`, `get_result` and `get_results` may
/// load from a connection of the backend `DB` (sync or async): any Diesel query
/// (Diesel checks it), and a [`Scoped`] query whose statement gives rows back
/// on `DB`. Only a scoped write on a backend without `RETURNING` is not one,
/// hence the message.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "a write gives no rows back on `{DB}`: MySQL and MariaDB have no `RETURNING`",
    label = "`get_result`, `get_results` or `load` of an insert, update or delete",
    note = "run the write with `.execute(tx)` (the number of rows written), then read the rows back through the scope in the same `conn.transaction(|tx| ..)`: `Model::scoped(&ctx).find(id).first(tx)`"
)]
pub trait LoadsRowsOn<DB> {}

impl<Q: QueryId, DB> LoadsRowsOn<DB> for Q {}

// Reports this trait's message, which names the fix, not the statement's
// missing `GivesRowsBack` beneath it.
#[diagnostic::do_not_recommend]
impl<T, Q, M, DB> LoadsRowsOn<DB> for Scoped<T, Q, M> where Q: GivesRowsBack<DB> {}

/// A scoped statement that gives rows back on `DB`: a read always, a write
/// where `DB` has `RETURNING`.
#[doc(hidden)]
pub trait GivesRowsBack<DB> {}

impl<F, S, D, W, O, LOf, G, H, LC, DB> GivesRowsBack<DB>
    for SelectStatement<F, S, D, W, O, LOf, G, H, LC>
{
}

impl<'a, ST, QS, QDB, GB, DB> GivesRowsBack<DB> for BoxedSelectStatement<'a, ST, QS, QDB, GB> {}

/// A table itself: `global(plans::table)`, a tenant table's query.
impl<T: TableKind, DB> GivesRowsBack<DB> for T {}

/// The write statements of a scope: each gives rows back only on a backend
/// with `RETURNING`.
macro_rules! writes {
    ($([$($param:tt)*] $statement:ty;)*) => {$(
        #[diagnostic::do_not_recommend]
        impl<$($param)*, DB: ReturningBackend> GivesRowsBack<DB> for $statement {}
    )*};
}

writes! {
    [T: QuerySource, U, Op, Ret] InsertStatement<T, U, Op, Ret>;
    [T: QuerySource, U, V, Ret] UpdateStatement<T, U, V, Ret>;
    [T: QuerySource, U, Ret] DeleteStatement<T, U, Ret>;
    [T: QuerySource, V] Insert<T, V>;
    [Check, Stmt] ParentCheckedInsert<Check, Stmt>;
}
