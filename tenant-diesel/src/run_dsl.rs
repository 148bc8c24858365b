use diesel::connection::Connection;
use diesel::query_builder::QueryId;
use diesel::query_dsl::methods::{ExecuteDsl, LimitDsl};
use diesel::query_dsl::LoadQuery;
use diesel::result::QueryResult;

use crate::conn::{RawConnection, TenantConn};
use crate::error::TenantMismatch;
use crate::returning::LoadsRowsOn;
use crate::scoped::{only_scoped, Scoped};
use tenant_core::{AnyTenantId, TenantIdValue};

/// Runs queries, like Diesel's `RunQueryDsl`, which the prelude shadows.
///
/// On a Diesel connection it runs any Diesel query, exactly as Diesel does. On a
/// [`TenantConn`] it runs only sealed [`Scoped`] queries: a raw query there reports
/// "this query is not tenant-scoped" and names the fix.
pub trait RunQueryDsl<Conn>: Sized {
    /// Executes a statement, returning the number of affected rows.
    fn execute(self, conn: &mut Conn) -> QueryResult<usize>
    where
        Conn: RunsOn<Self>,
        <Conn as RunsOn<Self>>::Query: ExecuteDsl<<Conn as RunsOn<Self>>::Raw>,
    {
        conn.run(self, Token, ExecuteDsl::execute)
    }

    /// Loads every row (Diesel's `load`). A scoped write loads the rows it
    /// wrote (`RETURNING`) on PostgreSQL and SQLite; MySQL has no `RETURNING`,
    /// and there only reads load.
    fn load<'query, U>(self, conn: &mut Conn) -> QueryResult<Vec<U>>
    where
        Conn: RunsOn<Self>,
        Self: LoadsRowsOn<<<Conn as RunsOn<Self>>::Raw as Connection>::Backend>,
        <Conn as RunsOn<Self>>::Query: LoadQuery<'query, <Conn as RunsOn<Self>>::Raw, U>,
    {
        conn.run(self, Token, diesel::RunQueryDsl::load)
    }

    /// Loads every row (Diesel's `get_results`, the same as `load`).
    fn get_results<'query, U>(self, conn: &mut Conn) -> QueryResult<Vec<U>>
    where
        Conn: RunsOn<Self>,
        Self: LoadsRowsOn<<<Conn as RunsOn<Self>>::Raw as Connection>::Backend>,
        <Conn as RunsOn<Self>>::Query: LoadQuery<'query, <Conn as RunsOn<Self>>::Raw, U>,
    {
        self.load(conn)
    }

    /// Loads the first row, or `Err(NotFound)` (Diesel's `get_result`).
    fn get_result<'query, U>(self, conn: &mut Conn) -> QueryResult<U>
    where
        Conn: RunsOn<Self>,
        Self: LoadsRowsOn<<<Conn as RunsOn<Self>>::Raw as Connection>::Backend>,
        <Conn as RunsOn<Self>>::Query: LoadQuery<'query, <Conn as RunsOn<Self>>::Raw, U>,
    {
        conn.run(self, Token, diesel::RunQueryDsl::get_result)
    }

    /// Adds `LIMIT 1` and loads that row, or `Err(NotFound)` (Diesel's `first`).
    fn first<'query, U>(self, conn: &mut Conn) -> QueryResult<U>
    where
        Conn: RunsOn<Self>,
        <Conn as RunsOn<Self>>::Query: LimitDsl,
        diesel::dsl::Limit<<Conn as RunsOn<Self>>::Query>:
            LoadQuery<'query, <Conn as RunsOn<Self>>::Raw, U>,
    {
        conn.run(self, Token, |query, raw| {
            diesel::RunQueryDsl::get_result(query.limit(1), raw)
        })
    }
}

impl<Q: Runnable, Conn> RunQueryDsl<Conn> for Q {}

/// What the prelude's [`RunQueryDsl`] applies to: Diesel's queries and statements
/// (all of which are `QueryId`) and sealed [`Scoped`] queries.
///
/// Not every type: `RunQueryDsl`'s methods take `self` by value, so on every type
/// they would be found before `vec.first()` or `atomic.load(ordering)`, which take
/// `&self`, and those would stop compiling under the prelude.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a query",
    label = "not a Diesel query or a scoped query",
    note = "tenant queries start from the model: `Account::scoped(&ctx)`"
)]
pub trait Runnable {}

impl<Q: QueryId> Runnable for Q {}

impl<T, Q, M> Runnable for Scoped<T, Q, M> {}

/// A connection that may run the query `Q`.
///
/// A Diesel connection runs any Diesel query; a [`TenantConn`] runs only sealed
/// queries ([`SealedQuery`]). The connection, not the query, is the `Self` type:
/// that way the compiler learns which connection it is from the argument before it
/// looks for an impl, and reports [`SealedQuery`]'s message for a raw query.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot run this query",
    label = "not a connection this crate can run queries on",
    note = "run tenant queries on a `TenantConn`: `TenantConn::new(&mut raw_connection, &ctx)`"
)]
pub trait RunsOn<Q>: Sized {
    /// The Diesel connection the query finally runs on.
    #[doc(hidden)]
    type Raw: Connection;
    /// The Diesel query that is sent.
    #[doc(hidden)]
    type Query;

    /// Checks the query against the connection and runs `run` on both, as one
    /// unit of work.
    ///
    /// Takes a [`Token`] that only this crate can make, so nothing outside it can
    /// call this to reach the raw connection of a `TenantConn`.
    #[doc(hidden)]
    fn run<R>(
        &mut self,
        query: Q,
        token: Token,
        run: impl FnOnce(Self::Query, &mut Self::Raw) -> QueryResult<R>,
    ) -> QueryResult<R>;
}

/// A query that carries its own tenant check: the only kind a [`TenantConn`] runs.
///
/// Implemented by [`Scoped`] alone, which only a model's `scoped(&ctx)` and
/// [`global`](crate::global()) build. Sealed outright (its supertrait cannot be
/// named outside this crate): an impl for another type would hand any query to
/// the tenant's connection.
#[diagnostic::on_unimplemented(
    message = "this query is not tenant-scoped, so it cannot run on a `TenantConn`",
    label = "not filtered by the current tenant",
    note = "start from the model: `Account::scoped(&ctx)`, which adds `WHERE tenant_id = ?` for you; then `.find(id)`, `.filter(..)`, `.order(..)` on it",
    note = "a table every tenant shares is declared once with `global_table!(plans (id, name));` and queried with `global(plans::table)`"
)]
pub trait SealedQuery: Sized + only_scoped::Scoped {
    /// The Diesel query inside.
    #[doc(hidden)]
    type Query;

    /// Unwraps the query after checking that it was built for `tenant`, the
    /// connection's.
    #[doc(hidden)]
    fn unseal(self, tenant: AnyTenantId, token: Token) -> QueryResult<Self::Query>;
}

/// Unnameable outside this crate: proof that the caller is this crate.
#[doc(hidden)]
#[derive(Debug)]
pub struct Token;

/// A tenant's connection runs sealed queries, after their tenant is checked.
impl<Q: SealedQuery, C: RawConnection, V: TenantIdValue> RunsOn<Q> for TenantConn<C, V> {
    type Raw = C::Conn;
    type Query = Q::Query;

    fn run<R>(
        &mut self,
        query: Q,
        _: Token,
        run: impl FnOnce(Q::Query, &mut C::Conn) -> QueryResult<R>,
    ) -> QueryResult<R> {
        // Checked before the unit of work begins: a mismatch sends nothing at all.
        let tenant = self.ctx().tenant_id().erase();
        let query = query.unseal(tenant, Token)?;
        // A scalar subquery checks its own tenant as the statement is built.
        crate::scalar::building_for(tenant, || self.unit_of_work(|raw| run(query, raw)))
    }
}

/// Lets raw Diesel queries run on a backend's connection through the prelude's
/// `RunQueryDsl`.
macro_rules! raw_runs_on {
    ($conn:ty) => {
        /// Raw Diesel queries run on a raw connection exactly as Diesel runs them.
        ///
        impl<Q> RunsOn<Q> for $conn {
            type Raw = $conn;
            type Query = Q;

            fn run<R>(
                &mut self,
                query: Q,
                _: Token,
                run: impl FnOnce(Q, &mut $conn) -> QueryResult<R>,
            ) -> QueryResult<R> {
                run(query, self)
            }
        }
    };
}

#[cfg(feature = "sqlite")]
raw_runs_on!(diesel::sqlite::SqliteConnection);
#[cfg(feature = "postgres")]
raw_runs_on!(diesel::pg::PgConnection);
#[cfg(feature = "mysql")]
raw_runs_on!(diesel::mysql::MysqlConnection);

/// Pooled connections run raw queries like the connections inside.
#[cfg(feature = "r2d2")]
mod pooled {
    use diesel::r2d2::{ConnectionManager, PooledConnection, R2D2Connection};

    use super::{RunsOn, Token};
    use crate::wall::DatabaseWall;

    /// Raw Diesel queries run on a pooled connection as on the connection itself.
    impl<Q, C> RunsOn<Q> for PooledConnection<ConnectionManager<C>>
    where
        C: R2D2Connection + DatabaseWall + 'static,
    {
        type Raw = C;
        type Query = Q;

        fn run<R>(
            &mut self,
            query: Q,
            _: Token,
            run: impl FnOnce(Q, &mut C) -> diesel::QueryResult<R>,
        ) -> diesel::QueryResult<R> {
            run(query, self)
        }
    }
}

/// `Self`, the tables of a scoped query, are all in its `FROM` clause: a table,
/// or a join. A correlated query (`Scoped::correlated`) also reads an outer
/// query's row, and runs only as that query's subquery.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "a correlated query runs only as a subquery",
    label = "it reads the row of an outer query it is not in",
    note = "put it in the query it reads the row of: `Account::scoped(&ctx).filter_exists(Invoice::scoped(&ctx).correlated::<accounts::table>().filter(..))`"
)]
pub trait RunsAlone {}

// Reports `RunsAlone`'s message, not `TableKind`'s beneath it.
#[diagnostic::do_not_recommend]
impl<T: crate::table::TableKind> RunsAlone for T {}

impl<J, On> RunsAlone for diesel::internal::table_macro::JoinOn<J, On> {}

impl<T: RunsAlone, Q, M> SealedQuery for Scoped<T, Q, M> {
    type Query = Q;

    fn unseal(self, connection: AnyTenantId, _: Token) -> QueryResult<Q> {
        let (query, tenant, subqueries) = self.into_parts();
        // An `i32` and an `i64` of one value are one tenant; a UUID never
        // equals an integer. A subquery's tenant is checked like the query's.
        let other = tenant
            .filter(|&query_tenant| query_tenant != connection)
            .or_else(|| subqueries.other_than(connection));
        match other {
            Some(query_tenant) => Err(TenantMismatch {
                query: query_tenant,
                connection,
            }
            .into()),
            None => Ok(query),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};

    #[allow(unused_imports)] // the point: importing the prelude changes nothing here
    use crate::prelude::*;

    #[test]
    fn the_prelude_leaves_methods_of_other_types_alone() {
        let rows: Vec<i32> = (1..=2).collect();
        assert_eq!(rows.first(), Some(&1));
        let flag = AtomicBool::new(true);
        assert!(flag.load(Ordering::SeqCst));
    }
}
