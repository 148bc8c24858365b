//! Async tenant connections over diesel-async: the same sealed queries, the
//! same wall, run with `.await`.
//!
//! ```ignore
//! use tenant_diesel::async_prelude::*;
//!
//! let mut conn = AsyncTenantConn::new(pool.get().await?, &ctx);
//! let accounts: Vec<Account> = Account::scoped(&ctx).load(&mut conn).await?;
//! ```

mod admin;
mod ops;
mod raw;
mod refuse;
mod run;
mod wall;

pub use admin::AsyncAdminConn;
pub use raw::AsyncRawConnection;
pub use refuse::NoDieselAsyncQueriesOnTenantConn;
pub use run::{AsyncRunsOn, AsyncSealedQuery, RunQueryDsl};
#[doc(hidden)]
pub use run::{Execute, GetResult, Load, Op};
#[doc(hidden)]
pub use wall::AsyncWall;

use crate::wall::TenantSetting;
use tenant_core::{AsTenantCtx, TenantCtx, TenantIdValue};

/// diesel-async's wrapper that runs a `SqliteConnection` on blocking threads:
/// the embedded default, behind the same async API.
#[cfg(feature = "sqlite")]
pub type AsyncSqliteConnection =
    diesel_async::sync_connection_wrapper::SyncConnectionWrapper<diesel::SqliteConnection>;

/// A diesel-async connection that acts for exactly one tenant: the async twin of
/// [`TenantConn`](crate::TenantConn).
///
/// It is not a diesel-async connection and never hands the raw one out: only
/// [`Scoped`](crate::Scoped) queries run on it, with the async prelude's
/// [`RunQueryDsl`] (`load`, `first`, `get_result(s)`, `execute`, then
/// `.optional()` as in Diesel).
///
/// On PostgreSQL a statement on its own is a unit of work: its transaction opens
/// with the same batch as the sync wall (`BEGIN; SET LOCAL ..`), sent together
/// with the statement without waiting in between, then `COMMIT`. A
/// [`transaction`](AsyncTenantConn::transaction) opens it once for all of its
/// statements.
pub struct AsyncTenantConn<C, V = i64> {
    raw: C,
    ctx: TenantCtx<V>,
    setting: TenantSetting,
    /// Inside a transaction that already set the tenant for the database.
    in_unit_of_work: bool,
}

impl<C: AsyncRawConnection, V: TenantIdValue> AsyncTenantConn<C, V> {
    /// Wraps `raw` so that it runs tenant-scoped queries for `ctx` only, with the
    /// database setting `app.tenant_id`, unsigned. On PostgreSQL the default
    /// policies accept only a signed tenant: use
    /// [`with_setting`](Self::with_setting) with
    /// `TenantSetting::default().signed_with(key)`.
    pub fn new(raw: C, ctx: &(impl AsTenantCtx<Id = V> + ?Sized)) -> Self {
        Self::with_setting(raw, ctx, TenantSetting::default())
    }

    /// Like [`new`](AsyncTenantConn::new), with the PostgreSQL setting the
    /// row-level-security policies read.
    pub fn with_setting(
        raw: C,
        ctx: &(impl AsTenantCtx<Id = V> + ?Sized),
        setting: TenantSetting,
    ) -> Self {
        Self {
            raw,
            ctx: ctx.as_tenant_ctx().clone(),
            setting,
            in_unit_of_work: false,
        }
    }

    /// The context this connection acts for.
    pub fn ctx(&self) -> &TenantCtx<V> {
        &self.ctx
    }

    /// Runs `f` inside a database transaction, committing when it returns `Ok`
    /// and rolling back when it returns `Err`. On PostgreSQL the transaction
    /// opens with the tenant; a transaction inside it is a savepoint.
    ///
    /// The closure gets an `AsyncTenantConn` for the same tenant, never the raw
    /// connection.
    pub async fn transaction<R, E, F>(&mut self, f: F) -> Result<R, E>
    where
        F: AsyncFnOnce(&mut AsyncTenantConn<&mut C::Conn, V>) -> Result<R, E>,
        E: From<diesel::result::Error>,
        for<'a> &'a mut C::Conn: AsyncRawConnection<Conn = C::Conn>,
    {
        let (ctx, setting, nested) = (self.ctx.clone(), self.setting.clone(), self.in_unit_of_work);
        let raw = self.raw.raw_connection();
        if nested {
            C::Conn::open_savepoint(raw).await?;
        } else {
            C::Conn::open_tenant_transaction(raw, &setting, ctx.tenant_id().erase()).await?;
        }
        let outcome = {
            let mut inner = AsyncTenantConn::with_setting(&mut *raw, &ctx, setting);
            inner.in_unit_of_work = true;
            f(&mut inner).await
        };
        wall::finish(raw, outcome).await
    }

    /// The batch that opens a unit of work for a statement on its own: `None`
    /// inside a transaction, or on a database without a wall.
    fn opening(&self) -> diesel::QueryResult<Option<String>> {
        if self.in_unit_of_work {
            return Ok(None);
        }
        <C::Conn as AsyncWall>::opening(&self.setting, self.ctx.tenant_id().erase())
    }

    fn raw_connection(&mut self) -> &mut C::Conn {
        self.raw.raw_connection()
    }
}

impl<C, V: TenantIdValue> std::fmt::Debug for AsyncTenantConn<C, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncTenantConn")
            .field("tenant", &self.ctx.tenant_id())
            .finish_non_exhaustive()
    }
}
