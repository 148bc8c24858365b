//! How an async connection tells the database the tenant of a unit of work: the
//! same batch as the sync wall (`BEGIN; SET LOCAL ..`), sent by diesel-async.

use diesel::result::QueryResult;
use diesel_async::{AsyncConnection, TransactionManager};
use futures_util::future::BoxFuture;

use crate::wall::TenantSetting;
use crate::TenantId;

/// An async backend connection, with or without a database wall.
#[doc(hidden)]
pub trait AsyncWall: AsyncConnection + Send + 'static {
    /// Whether the database has a wall to tell (PostgreSQL does, SQLite does not).
    const HAS_WALL: bool;

    /// Opens a transaction that the database knows to act for `tenant`, through
    /// diesel-async's transaction manager, so that its bookkeeping (savepoints,
    /// the pools' broken-connection checks) stays right.
    fn open_tenant_transaction<'c>(
        conn: &'c mut Self,
        setting: &TenantSetting,
        tenant: TenantId,
    ) -> BoxFuture<'c, QueryResult<()>>;

    /// Commits what [`open_tenant_transaction`](AsyncWall::open_tenant_transaction)
    /// opened (or releases a savepoint).
    fn commit<'c>(conn: &'c mut Self) -> BoxFuture<'c, QueryResult<()>> {
        Box::pin(<Self::TransactionManager as TransactionManager<Self>>::commit_transaction(conn))
    }

    /// Rolls it back.
    fn rollback<'c>(conn: &'c mut Self) -> BoxFuture<'c, QueryResult<()>> {
        Box::pin(<Self::TransactionManager as TransactionManager<Self>>::rollback_transaction(conn))
    }
}

#[cfg(feature = "postgres")]
impl AsyncWall for diesel_async::AsyncPgConnection {
    const HAS_WALL: bool = true;

    fn open_tenant_transaction<'c>(
        conn: &'c mut Self,
        setting: &TenantSetting,
        tenant: TenantId,
    ) -> BoxFuture<'c, QueryResult<()>> {
        let sql = crate::wall::begin_tenant_sql(setting, tenant);
        Box::pin(async move {
            diesel_async::AnsiTransactionManager::begin_transaction_sql(conn, &sql?).await
        })
    }
}

#[cfg(feature = "sqlite")]
impl AsyncWall for super::AsyncSqliteConnection {
    const HAS_WALL: bool = false;

    fn open_tenant_transaction<'c>(
        conn: &'c mut Self,
        _: &TenantSetting,
        _: TenantId,
    ) -> BoxFuture<'c, QueryResult<()>> {
        Box::pin(<Self::TransactionManager as TransactionManager<Self>>::begin_transaction(conn))
    }
}
