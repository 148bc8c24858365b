use diesel::connection::Connection;
use diesel::query_dsl::methods::{ExecuteDsl, LimitDsl};
use diesel::query_dsl::LoadQuery;
use diesel::result::QueryResult;

use crate::conn::RawConnection;
use crate::{Scoped, TenantConn, TenantMismatch};

/// Runs queries, like Diesel's `RunQueryDsl`, which the prelude shadows.
///
/// On a Diesel connection it runs any Diesel query, exactly as Diesel does. On a
/// [`TenantConn`] it runs only sealed [`Scoped`] queries: a raw query there reports
/// "this query is not tenant-scoped" and names the fix.
pub trait RunQueryDsl<Conn>: Sized {
    /// Executes a statement, returning the number of affected rows.
    fn execute(self, conn: &mut Conn) -> QueryResult<usize>
    where
        Self: RunsOn<Conn>,
        Self::Query: ExecuteDsl<Self::Raw>,
    {
        let (query, raw) = self.prepare(conn, Token)?;
        ExecuteDsl::execute(query, raw)
    }

    /// Loads every row (Diesel's `load`).
    fn load<'query, U>(self, conn: &mut Conn) -> QueryResult<Vec<U>>
    where
        Self: RunsOn<Conn>,
        Self::Query: LoadQuery<'query, Self::Raw, U>,
    {
        let (query, raw) = self.prepare(conn, Token)?;
        diesel::RunQueryDsl::load(query, raw)
    }

    /// Loads every row (Diesel's `get_results`, the same as `load`).
    fn get_results<'query, U>(self, conn: &mut Conn) -> QueryResult<Vec<U>>
    where
        Self: RunsOn<Conn>,
        Self::Query: LoadQuery<'query, Self::Raw, U>,
    {
        self.load(conn)
    }

    /// Loads the first row, or `Err(NotFound)` (Diesel's `get_result`).
    fn get_result<'query, U>(self, conn: &mut Conn) -> QueryResult<U>
    where
        Self: RunsOn<Conn>,
        Self::Query: LoadQuery<'query, Self::Raw, U>,
    {
        let (query, raw) = self.prepare(conn, Token)?;
        diesel::RunQueryDsl::get_result(query, raw)
    }

    /// Adds `LIMIT 1` and loads that row, or `Err(NotFound)` (Diesel's `first`).
    fn first<'query, U>(self, conn: &mut Conn) -> QueryResult<U>
    where
        Self: RunsOn<Conn>,
        Self::Query: LimitDsl,
        diesel::dsl::Limit<Self::Query>: LoadQuery<'query, Self::Raw, U>,
    {
        let (query, raw) = self.prepare(conn, Token)?;
        diesel::RunQueryDsl::get_result(query.limit(1), raw)
    }
}

impl<Q, Conn> RunQueryDsl<Conn> for Q {}

/// A query that may run on the connection `Conn`.
///
/// Any Diesel query runs on a Diesel connection; on a [`TenantConn`] only sealed
/// [`Scoped`] queries do. Not meant to be implemented outside this crate.
#[diagnostic::on_unimplemented(
    message = "this query is not tenant-scoped, so it cannot run on `{Conn}`",
    label = "not filtered by the current tenant",
    note = "start from the model: `Account::scoped(&ctx)`, which adds `WHERE tenant_id = ?` for you (and `.find(id)`, `.filter(..)`, `.order(..)` on it)",
    note = "a table every tenant shares is declared once with `global_table!(plans);` and queried with `global(plans::table)`"
)]
pub trait RunsOn<Conn>: Sized {
    /// The Diesel connection the query finally runs on.
    #[doc(hidden)]
    type Raw: Connection;
    /// The Diesel query that is sent.
    #[doc(hidden)]
    type Query;

    /// Checks the query against the connection and unwraps both.
    ///
    /// Takes a [`Token`] that only this crate can make, so nothing outside it can
    /// call this to reach the raw connection of a `TenantConn`.
    #[doc(hidden)]
    fn prepare(self, conn: &mut Conn, token: Token) -> QueryResult<(Self::Query, &mut Self::Raw)>;
}

/// Unnameable outside this crate: proof that the caller is this crate.
#[doc(hidden)]
#[derive(Debug)]
pub struct Token;

/// Raw Diesel queries on raw Diesel connections run as Diesel runs them.
#[diagnostic::do_not_recommend]
impl<Q, C: Connection> RunsOn<C> for Q {
    type Raw = C;
    type Query = Q;

    fn prepare(self, conn: &mut C, _: Token) -> QueryResult<(Q, &mut C)> {
        Ok((self, conn))
    }
}

/// Sealed queries run on a tenant's connection after their tenant is checked.
#[diagnostic::do_not_recommend]
impl<T, Q, C: RawConnection> RunsOn<TenantConn<C>> for Scoped<T, Q> {
    type Raw = C::Conn;
    type Query = Q;

    fn prepare(self, conn: &mut TenantConn<C>, _: Token) -> QueryResult<(Q, &mut C::Conn)> {
        let (query, tenant) = self.into_parts();
        let (raw, ctx) = conn.raw_and_ctx();
        match tenant {
            Some(query_tenant) if query_tenant != ctx.tenant_id() => Err(TenantMismatch {
                query: query_tenant,
                connection: ctx.tenant_id(),
            }
            .into()),
            _ => Ok((query, raw)),
        }
    }
}
