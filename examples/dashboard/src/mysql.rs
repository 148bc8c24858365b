//! MySQL and MariaDB mode: the owner migrates and seeds, the application's user
//! is checked at start-up (rows of its database, no DDL, no global privileges,
//! nothing on the audit database), and handlers run their queries as that user
//! on a diesel-async pool, each tenant's through an `AsyncTenantConn`.
//!
//! MySQL has no row-level security: the library's type wall is the isolation,
//! as on SQLite. Everything here goes through diesel-async's MySQL driver,
//! written in Rust: the start-up work runs on its blocking wrapper, so the
//! dashboard links no C client library.

use diesel::Connection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::deadpool::{Object, Pool as AsyncPool};
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::AsyncMysqlConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use tenant_diesel::mysql::{verify_isolation, MysqlChecks};

use crate::error::AppError;

/// A pool of async MySQL connections.
pub type AsyncMysqlPool = AsyncPool<AsyncMysqlConnection>;

/// A sync connection for the start-up work: diesel-async's driver behind its
/// blocking wrapper.
pub type StartupConnection = AsyncConnectionWrapper<AsyncMysqlConnection>;

const MYSQL_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/mysql");

/// The pool of MySQL mode.
pub struct MysqlDb {
    /// The application's user: plain connections for the global tables before
    /// a tenant is known, `AsyncTenantConn` after, and `AsyncAdminConn` on the
    /// audited admin page (MySQL has no row-level security to bypass, so the
    /// admin page needs no other user).
    pub app: AsyncMysqlPool,
}

impl MysqlDb {
    /// An async connection of the application's user.
    pub async fn conn(&self) -> Result<Object<AsyncMysqlConnection>, AppError> {
        crate::db::checkout(self.app.get()).await
    }
}

/// Migrates and seeds as the owner (`admin_url`), then refuses to start unless
/// the application's user (`app_url`) holds rows only: no DDL, no global
/// privilege, nothing on the audit database (`audit_database`). Start-up code:
/// sync, on a blocking thread.
pub fn open_mysql(
    app_url: &str,
    admin_url: &str,
    audit_database: &str,
) -> Result<crate::db::Db, AppError> {
    {
        let mut owner = StartupConnection::establish(admin_url)
            .map_err(|e| AppError::Startup(format!("cannot connect to mysql: {e}")))?;
        owner
            .run_pending_migrations(MYSQL_MIGRATIONS)
            .map_err(|e| AppError::Startup(format!("mysql migrations failed: {e}")))?;
        crate::seed::seed_mysql(&mut owner)?;
    }
    // The check runs as the application's user, over the URL the pool uses.
    let mut check = StartupConnection::establish(app_url)
        .map_err(|e| AppError::Startup(format!("cannot connect to mysql: {e}")))?;
    let checks = MysqlChecks::new(crate::db::declared_tables()).audit_database(audit_database);
    verify_isolation(&mut check, &checks).map_err(|e| AppError::Startup(e.to_string()))?;
    drop(check);
    let app = AsyncPool::builder(AsyncDieselConnectionManager::<AsyncMysqlConnection>::new(
        app_url,
    ))
    .max_size(8)
    .build()
    .map_err(|e| AppError::Startup(format!("cannot connect to mysql: {e}")))?;
    Ok(crate::db::Db::Mysql(MysqlDb { app }))
}
