//! How an async connection tells the database the tenant of a unit of work: the
//! same batch as the sync wall (`BEGIN; SET LOCAL ..`), sent by diesel-async.

use diesel::result::{Error, QueryResult};
use diesel_async::{AsyncConnection, TransactionManager};
use futures_util::future::BoxFuture;

use crate::wall::TenantSetting;
use tenant_core::AnyTenantId;

/// An async backend connection, with or without a database wall.
#[doc(hidden)]
pub trait AsyncWall: AsyncConnection + Send + 'static {
    /// The batch that opens a unit of work for `tenant`, if the database has a
    /// wall.
    fn opening(setting: &TenantSetting, tenant: AnyTenantId) -> QueryResult<Option<String>>;

    /// Opens a transaction that the database knows to act for `tenant`, through
    /// diesel-async's transaction manager, so that its bookkeeping (savepoints,
    /// the pools' broken-connection checks) stays right.
    fn open_tenant_transaction<'c>(
        conn: &'c mut Self,
        setting: &TenantSetting,
        tenant: AnyTenantId,
    ) -> BoxFuture<'c, QueryResult<()>>;

    /// Opens a savepoint inside a transaction that already acts for the tenant.
    fn open_savepoint<'c>(conn: &'c mut Self) -> BoxFuture<'c, QueryResult<()>> {
        Box::pin(<Self::TransactionManager as TransactionManager<Self>>::begin_transaction(conn))
    }
}

/// Ends what [`AsyncWall::open_tenant_transaction`] (or a savepoint) opened, by
/// the unit of work's outcome: commits on `Ok`; rolls back on `Err` and returns
/// that error, unless the rollback fails for another reason than a transaction
/// manager already broken (then the rollback's error, as Diesel does).
pub(super) async fn finish<C, R, E>(conn: &mut C, outcome: Result<R, E>) -> Result<R, E>
where
    C: AsyncWall,
    E: From<Error>,
{
    type Manager<C> = <C as AsyncConnection>::TransactionManager;
    match outcome {
        Ok(value) => {
            <Manager<C> as TransactionManager<C>>::commit_transaction(conn).await?;
            Ok(value)
        }
        Err(error) => {
            match <Manager<C> as TransactionManager<C>>::rollback_transaction(conn).await {
                Ok(()) | Err(Error::BrokenTransactionManager) => Err(error),
                Err(rollback_error) => Err(rollback_error.into()),
            }
        }
    }
}

#[cfg(feature = "postgres")]
impl AsyncWall for diesel_async::AsyncPgConnection {
    fn opening(setting: &TenantSetting, tenant: AnyTenantId) -> QueryResult<Option<String>> {
        crate::wall::begin_tenant_sql(setting, tenant).map(Some)
    }

    fn open_tenant_transaction<'c>(
        conn: &'c mut Self,
        setting: &TenantSetting,
        tenant: AnyTenantId,
    ) -> BoxFuture<'c, QueryResult<()>> {
        let sql = crate::wall::begin_tenant_sql(setting, tenant);
        Box::pin(async move {
            let opened =
                diesel_async::AnsiTransactionManager::begin_transaction_sql(conn, &sql?).await;
            if opened.is_err() {
                // The batch may have failed after its `BEGIN`: roll that back,
                // whatever the outcome, since the connection is given up.
                let _ = diesel_async::SimpleAsyncConnection::batch_execute(conn, "ROLLBACK").await;
                discard(conn);
            }
            opened
        })
    }
}

/// Marks a connection whose opening batch failed as broken: one refused by
/// `assert_clean_session` (left dirty by raw SQL) must never run another
/// tenant's unit of work, and diesel-async's pools drop a broken connection
/// instead of handing it out again.
#[cfg(feature = "postgres")]
pub(super) fn discard(conn: &mut diesel_async::AsyncPgConnection) {
    <diesel_async::AnsiTransactionManager as TransactionManager<_>>::transaction_manager_status_mut(
        conn,
    )
    .set_in_error();
}

/// A backend with no row-level security has no wall to tell: a unit of work is
/// a plain transaction, and a statement on its own runs alone.
macro_rules! without_wall {
    ($conn:ty) => {
        impl AsyncWall for $conn {
            fn opening(_: &TenantSetting, _: AnyTenantId) -> QueryResult<Option<String>> {
                Ok(None)
            }

            fn open_tenant_transaction<'c>(
                conn: &'c mut Self,
                _: &TenantSetting,
                _: AnyTenantId,
            ) -> BoxFuture<'c, QueryResult<()>> {
                Box::pin(
                    <Self::TransactionManager as TransactionManager<Self>>::begin_transaction(conn),
                )
            }
        }
    };
}

#[cfg(feature = "sqlite")]
without_wall!(super::AsyncSqliteConnection);
// MySQL and MariaDB have no row-level security either.
#[cfg(any(feature = "mysql", feature = "async-mysql"))]
without_wall!(diesel_async::AsyncMysqlConnection);
