use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, Pool, PoolError, PooledConnection};

use crate::conn::TenantConn;
use crate::wall::TenantSetting;
use tenant_core::TenantCtx;

/// The application's database: a pool that hands out connections for one tenant
/// at a time.
///
/// Hand it the pool at start-up; handlers get `db.conn(&ctx)`, a [`TenantConn`]
/// that returns to the pool when dropped. Nothing on this path hands out the raw
/// connection, and since the tenant is set per unit of work with
/// `SET LOCAL`, a connection returns to the pool carrying nothing. A connection
/// that raw SQL left dirty is refused by the next unit of work and dropped.
#[derive(Clone)]
pub struct TenantDb {
    pool: Pool<ConnectionManager<PgConnection>>,
    setting: TenantSetting,
}

impl TenantDb {
    /// Wraps `pool`; its connections will set `app.tenant_id`, unsigned: only
    /// for policies generated with `RlsMigrations::unsigned_tenant()`. The
    /// default policies need [`with_setting`](Self::with_setting) and
    /// `TenantSetting::default().signed_with(key)`.
    pub fn new(pool: Pool<ConnectionManager<PgConnection>>) -> Self {
        Self::with_setting(pool, TenantSetting::default())
    }

    /// Wraps `pool`; its connections will set `setting`.
    pub fn with_setting(
        pool: Pool<ConnectionManager<PgConnection>>,
        setting: TenantSetting,
    ) -> Self {
        Self { pool, setting }
    }

    /// A connection from the pool that acts for `ctx`'s tenant.
    pub fn conn(
        &self,
        ctx: &TenantCtx,
    ) -> Result<TenantConn<PooledConnection<ConnectionManager<PgConnection>>>, PoolError> {
        Ok(TenantConn::with_setting(
            self.pool.get()?,
            ctx,
            self.setting.clone(),
        ))
    }
}

impl std::fmt::Debug for TenantDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TenantDb")
            .field("setting", &self.setting)
            .field("pool", &self.pool.state())
            .finish()
    }
}
