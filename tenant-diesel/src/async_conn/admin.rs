//! The escape hatch for async code: cross-tenant access on a diesel-async
//! connection, opened with an [`AdminCtx`] and audited query by query.

use std::future::Future;

use diesel::result::QueryResult;
use diesel_async::{AsyncConnection, TransactionManager};

use super::run::{AsyncRunsOn, Op};
use super::{wall, AsyncRawConnection};
use crate::admin::AdminCtx;
use crate::run_dsl::Token;

/// The async twin of [`AdminConn`](crate::AdminConn): it runs any Diesel query
/// with the async prelude's `RunQueryDsl`, and it can only be opened with an
/// [`AdminCtx`]. Each query's `admin.query` event is written first, through the
/// auditor's queue when it has one; under a fail-closed auditor a failed write
/// refuses the query, which is then never sent.
///
/// It opens no tenant's unit of work: on PostgreSQL it runs as the role of the
/// connection it wraps, which for work across tenants is a role the policies
/// let through (an owner or `BYPASSRLS`), in a pool of its own.
pub struct AsyncAdminConn<C> {
    raw: C,
    admin: AdminCtx,
}

impl<C: AsyncRawConnection> AsyncAdminConn<C> {
    /// Opens cross-tenant access on `raw` for the reason in `admin`.
    pub fn new(raw: C, admin: &AdminCtx) -> Self {
        Self {
            raw,
            admin: admin.clone(),
        }
    }

    /// The context this connection was opened with.
    pub fn admin(&self) -> &AdminCtx {
        &self.admin
    }

    /// Runs `f` inside a database transaction, committing when it returns `Ok`
    /// and rolling back when it returns `Err`; a transaction inside it is a
    /// savepoint. The closure gets an `AsyncAdminConn` for the same context.
    pub async fn transaction<R, E, F>(&mut self, f: F) -> Result<R, E>
    where
        F: AsyncFnOnce(&mut AsyncAdminConn<&mut C::Conn>) -> Result<R, E>,
        E: From<diesel::result::Error>,
        for<'a> &'a mut C::Conn: AsyncRawConnection<Conn = C::Conn>,
    {
        type Manager<C> = <C as AsyncConnection>::TransactionManager;
        let admin = self.admin.clone();
        let raw = self.raw.raw_connection();
        <Manager<C::Conn> as TransactionManager<C::Conn>>::begin_transaction(raw).await?;
        let outcome = f(&mut AsyncAdminConn::new(&mut *raw, &admin)).await;
        wall::finish(raw, outcome).await
    }
}

impl<C> std::fmt::Debug for AsyncAdminConn<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncAdminConn")
            .field("reason", &self.admin.reason())
            .finish_non_exhaustive()
    }
}

/// An admin connection runs raw Diesel queries: that is what it is for. The
/// audit event is written before the statement is built or sent.
impl<Q: Send, C: AsyncRawConnection> AsyncRunsOn<Q> for AsyncAdminConn<C> {
    type Raw = C::Conn;
    type Query = Q;

    fn run<'c, O: Op<C::Conn> + 'c>(
        &'c mut self,
        query: Q,
        _: Token,
        make: impl FnOnce(Q) -> O,
    ) -> impl Future<Output = QueryResult<O::Output>> + Send + 'c {
        let op = make(query);
        let Self { raw, admin } = self;
        let audited = admin.audit_query_async();
        async move {
            audited.await?;
            op.run(raw.raw_connection(), None).await
        }
    }
}
