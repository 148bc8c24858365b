//! Runs queries on an [`AsyncTenantConn`](super::AsyncTenantConn): the async
//! twin of the prelude's `RunQueryDsl`, with the same seal.

use std::future::Future;
use std::marker::PhantomData;

use diesel::result::QueryResult;
use futures_util::future::BoxFuture;

use super::wall::AsyncWall;
use super::{AsyncRawConnection, AsyncTenantConn};
use crate::returning::LoadsRowsOn;
use crate::run_dsl::{Runnable, SealedQuery, Token};
use tenant_core::TenantIdValue;

/// Runs queries asynchronously, like diesel-async's `RunQueryDsl`, which the
/// async prelude shadows.
///
/// On an [`AsyncTenantConn`] it runs only sealed [`Scoped`](crate::Scoped)
/// queries; a raw query there reports "this query is not tenant-scoped" and
/// names the fix. On a raw diesel-async connection it runs any Diesel query.
pub trait RunQueryDsl<Conn>: Sized {
    /// Executes a statement, returning the number of affected rows.
    fn execute<'c>(self, conn: &'c mut Conn) -> impl Future<Output = QueryResult<usize>> + Send + 'c
    where
        Conn: AsyncRunsOn<Self>,
        Execute<Conn::Query>: Op<Conn::Raw, Output = usize> + 'c,
    {
        conn.run(self, Token, Execute::new)
    }

    /// Loads every row.
    fn load<'c, U>(
        self,
        conn: &'c mut Conn,
    ) -> impl Future<Output = QueryResult<Vec<U>>> + Send + 'c
    where
        Conn: AsyncRunsOn<Self>,
        Self: LoadsRowsOn<RawBackend<Conn, Self>>,
        Load<Conn::Query, U>: Op<Conn::Raw, Output = Vec<U>> + 'c,
    {
        conn.run(self, Token, Load::new)
    }

    /// Loads every row (the same as `load`).
    fn get_results<'c, U>(
        self,
        conn: &'c mut Conn,
    ) -> impl Future<Output = QueryResult<Vec<U>>> + Send + 'c
    where
        Conn: AsyncRunsOn<Self>,
        Self: LoadsRowsOn<RawBackend<Conn, Self>>,
        Load<Conn::Query, U>: Op<Conn::Raw, Output = Vec<U>> + 'c,
    {
        self.load(conn)
    }

    /// Loads the first row, or `Err(NotFound)`.
    fn get_result<'c, U>(
        self,
        conn: &'c mut Conn,
    ) -> impl Future<Output = QueryResult<U>> + Send + 'c
    where
        Conn: AsyncRunsOn<Self>,
        Self: LoadsRowsOn<RawBackend<Conn, Self>>,
        GetResult<Conn::Query, U>: Op<Conn::Raw, Output = U> + 'c,
    {
        conn.run(self, Token, GetResult::new)
    }

    /// Adds `LIMIT 1` and loads that row, or `Err(NotFound)`.
    fn first<'c, U>(self, conn: &'c mut Conn) -> impl Future<Output = QueryResult<U>> + Send + 'c
    where
        Conn: AsyncRunsOn<Self>,
        Conn::Query: diesel::query_dsl::methods::LimitDsl,
        GetResult<diesel::dsl::Limit<Conn::Query>, U>: Op<Conn::Raw, Output = U> + 'c,
    {
        conn.run(self, Token, |query| {
            GetResult::new(diesel::query_dsl::methods::LimitDsl::limit(query, 1))
        })
    }
}

impl<Q: Runnable, Conn> RunQueryDsl<Conn> for Q {}

/// The backend of the diesel-async connection that `Conn` runs `Q` on: a
/// scoped write loads rows only where it has `RETURNING`.
type RawBackend<Conn, Q> =
    <<Conn as AsyncRunsOn<Q>>::Raw as diesel_async::AsyncConnectionCore>::Backend;

/// An async connection that may run the query `Q`: an [`AsyncTenantConn`] runs
/// sealed queries only, a raw diesel-async connection runs any.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot run this query",
    label = "not a connection this crate can run async queries on",
    note = "run tenant queries on an `AsyncTenantConn`: `AsyncTenantConn::new(&mut conn, &ctx)`"
)]
pub trait AsyncRunsOn<Q>: Sized + Send {
    /// The diesel-async connection the query finally runs on.
    #[doc(hidden)]
    type Raw: AsyncWall;
    /// The Diesel query that is sent.
    #[doc(hidden)]
    type Query;

    /// Checks the query against the connection and runs what `make` builds from
    /// it as one unit of work. Takes a [`Token`] only this crate can make.
    #[doc(hidden)]
    fn run<'c, O: Op<Self::Raw> + 'c>(
        &'c mut self,
        query: Q,
        token: Token,
        make: impl FnOnce(Self::Query) -> O,
    ) -> impl Future<Output = QueryResult<O::Output>> + Send + 'c;
}

/// A query that carries its own tenant check: the only kind an
/// [`AsyncTenantConn`] runs. Implemented by [`Scoped`](crate::Scoped) alone.
#[diagnostic::on_unimplemented(
    message = "this query is not tenant-scoped, so it cannot run on an `AsyncTenantConn`",
    label = "not filtered by the current tenant",
    note = "start from the model: `Account::scoped(&ctx)`, which adds `WHERE tenant_id = ?` for you; then `.find(id)`, `.filter(..)`, `.order(..)` on it",
    note = "a table every tenant shares is declared once with `global_table!(plans (id, name));` and queried with `global(plans::table)`"
)]
pub trait AsyncSealedQuery: SealedQuery {}

impl<T: crate::run_dsl::RunsAlone, Q, M> AsyncSealedQuery for crate::scoped::Scoped<T, Q, M> {}

/// A tenant's async connection runs sealed queries, after their tenant is
/// checked: a mismatch sends nothing at all.
impl<Q: AsyncSealedQuery, C: AsyncRawConnection, V: TenantIdValue> AsyncRunsOn<Q>
    for AsyncTenantConn<C, V>
{
    type Raw = C::Conn;
    type Query = Q::Query;

    fn run<'c, O: Op<C::Conn> + 'c>(
        &'c mut self,
        query: Q,
        _: Token,
        make: impl FnOnce(Q::Query) -> O,
    ) -> impl Future<Output = QueryResult<O::Output>> + Send + 'c {
        let tenant = self.ctx().tenant_id().erase();
        let op = query.unseal(tenant, Token).map(make);
        let open = self.opening();
        let raw = self.raw_connection();
        // A scalar subquery checks its own tenant as the statement is built,
        // in whichever poll diesel-async builds it.
        crate::scalar::BuildingFor::new(tenant, async move { op?.run(raw, open?).await })
    }
}

/// Raw queries run on a raw diesel-async connection exactly as diesel-async
/// runs them.
macro_rules! raw_runs_on {
    ($conn:ty) => {
        impl<Q> AsyncRunsOn<Q> for $conn {
            type Raw = $conn;
            type Query = Q;

            fn run<'c, O: Op<$conn> + 'c>(
                &'c mut self,
                query: Q,
                _: Token,
                make: impl FnOnce(Q) -> O,
            ) -> impl Future<Output = QueryResult<O::Output>> + Send + 'c {
                make(query).run(self, None)
            }
        }
    };
}

#[cfg(feature = "postgres")]
raw_runs_on!(diesel_async::AsyncPgConnection);
#[cfg(feature = "sqlite")]
raw_runs_on!(super::AsyncSqliteConnection);
#[cfg(any(feature = "mysql", feature = "async-mysql"))]
raw_runs_on!(diesel_async::AsyncMysqlConnection);

/// One operation of a unit of work, run on the backend connection `Raw`.
///
/// `open` is the batch that opens the unit of work's transaction on a database
/// with a wall (`None` inside a transaction, or without a wall): the operation
/// sends it, its statement and the end of the transaction.
#[doc(hidden)]
pub trait Op<Raw>: Send + Sized {
    /// What the operation returns.
    type Output: Send;

    /// Runs the operation.
    fn run<'c>(
        self,
        raw: &'c mut Raw,
        open: Option<String>,
    ) -> BoxFuture<'c, QueryResult<Self::Output>>
    where
        Self: 'c;
}

/// `execute`.
#[doc(hidden)]
pub struct Execute<Q>(pub(super) Q);

impl<Q> Execute<Q> {
    fn new(query: Q) -> Self {
        Self(query)
    }
}

/// `load` / `get_results`.
#[doc(hidden)]
pub struct Load<Q, U>(pub(super) Q, PhantomData<fn() -> U>);

impl<Q, U> Load<Q, U> {
    fn new(query: Q) -> Self {
        Self(query, PhantomData)
    }
}

/// `get_result` / `first`.
#[doc(hidden)]
pub struct GetResult<Q, U>(pub(super) Q, PhantomData<fn() -> U>);

impl<Q, U> GetResult<Q, U> {
    fn new(query: Q) -> Self {
        Self(query, PhantomData)
    }
}
