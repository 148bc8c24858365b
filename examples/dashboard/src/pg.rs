//! PostgreSQL mode: the owner migrates (schema, then the library's row-level
//! security), the application's role is checked with `verify_isolation` before
//! the server starts, and handlers run their queries as that role on a
//! diesel-async pool, each tenant's through an `AsyncTenantConn`.

use diesel::pg::PgConnection;
use diesel::Connection;
use diesel_async::pooled_connection::deadpool::{Object, Pool as AsyncPool};
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::AsyncPgConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use tenant_diesel::postgres::{verify_isolation, RlsMigrations};
use tenant_diesel::{TenantSetting, WallKey};

use crate::error::AppError;

/// A pool of async PostgreSQL connections.
pub type AsyncPgPool = AsyncPool<AsyncPgConnection>;

const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// The row-level-security migration of the dashboard's tenant tables; its version
/// orders it after the schema's. The shared tables are declared too, so that
/// `verify_isolation` refuses one that is a tenant table under another name.
pub fn rls() -> RlsMigrations {
    RlsMigrations::new("20240101000001")
        .tenant_table::<crate::schema::accounts::table>()
        .global_table::<crate::schema::tenants::table>()
}

/// The two pools of PostgreSQL mode.
pub struct PgDb {
    /// The application's role, async: plain connections for the global tables
    /// (users, memberships, tenants) before a tenant is known, `AsyncTenantConn`
    /// (one tenant per unit of work) after.
    pub app: AsyncPgPool,
    /// The owner's role, which the policies let through: for the audited admin
    /// page's `AsyncAdminConn` only.
    pub admin: AsyncPgPool,
    /// What every `AsyncTenantConn` sets: the tenant, signed with the key the
    /// database holds.
    pub setting: TenantSetting,
}

impl PgDb {
    /// An async connection of the application's role.
    pub async fn conn(&self) -> Result<Object<AsyncPgConnection>, AppError> {
        crate::db::checkout(self.app.get()).await
    }

    /// An async connection of the owner's role, for an `AsyncAdminConn`.
    pub async fn admin_conn(&self) -> Result<Object<AsyncPgConnection>, AppError> {
        crate::db::checkout(self.admin.get()).await
    }
}

/// A pool of `size` async connections to `url`, opened on first use (on the
/// runtime that serves requests).
fn async_pool(url: &str, size: usize) -> Result<AsyncPgPool, AppError> {
    AsyncPool::builder(AsyncDieselConnectionManager::<AsyncPgConnection>::new(url))
        .max_size(size)
        .build()
        .map_err(|e| AppError::Startup(format!("cannot connect to postgres: {e}")))
}

/// Migrates and seeds as the owner, installs the key that signs the tenant, then
/// refuses to start unless the app role is held by row-level security.
/// Start-up code: sync, on a blocking thread.
pub fn open_postgres(
    app_url: &str,
    admin_url: &str,
    wall_key: Option<&str>,
) -> Result<crate::db::Db, AppError> {
    let key = match wall_key {
        Some(hex) => {
            WallKey::from_hex(hex).map_err(|e| AppError::Startup(format!("WALL_KEY: {e}")))?
        }
        None => WallKey::generate()
            .map_err(|e| AppError::Startup(format!("no randomness for the wall key: {e}")))?,
    };
    let rls = rls();
    {
        let mut conn = PgConnection::establish(admin_url)
            .map_err(|e| AppError::Startup(format!("cannot connect to postgres: {e}")))?;
        conn.run_pending_migrations(PG_MIGRATIONS)
            .map_err(|e| AppError::Startup(format!("postgres migrations failed: {e}")))?;
        conn.run_pending_migrations(rls.clone())
            .map_err(|e| AppError::Startup(format!("row-level security migrations failed: {e}")))?;
        crate::seed::seed_pg(&mut conn)?;
        key.install(&mut conn)
            .map_err(|e| AppError::Startup(format!("cannot install the wall key: {e}")))?;
    }
    // The check runs as the app role, over the same URL the async pool uses.
    let mut check = PgConnection::establish(app_url)
        .map_err(|e| AppError::Startup(format!("cannot connect to postgres: {e}")))?;
    let setting = TenantSetting::default().signed_with(key);
    // With the key, the check also opens a unit of work as the pool will and
    // sees that the signed tenant reaches the policies.
    verify_isolation(&mut check, &rls.setting(setting.clone()))
        .map_err(|e| AppError::Startup(format!("refusing to start: {e}")))?;
    drop(check);
    Ok(crate::db::Db::Postgres(PgDb {
        app: async_pool(app_url, 8)?,
        admin: async_pool(admin_url, 2)?,
        setting,
    }))
}
