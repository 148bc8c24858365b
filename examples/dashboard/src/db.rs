//! The database: SQLite, PostgreSQL or MySQL behind one enum, the embedded
//! migrations, and the three ways the dashboard opens a connection (plain, for
//! one tenant, admin).
//!
//! Requests run their queries on diesel-async's deadpool pools: a plain
//! connection for what runs before a tenant is known, an `AsyncTenantConn` for
//! everything after, an `AsyncAdminConn` on the audited admin page. Only the
//! start-up work (migrations, seeding, the isolation checks) is synchronous, on
//! one connection of its own.
//!
//! Diesel's connection types differ per backend, so each query is written once and
//! compiled once per backend by the macros below: every arm type-checks the same
//! body against its own connection.

use std::future::Future;
use std::path::Path;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::sqlite::SqliteConnection;
use diesel::Connection;
use diesel_async::pooled_connection::deadpool::{Object, Pool as AsyncPool};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::{AsyncConnection, SimpleAsyncConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use tenant_diesel::async_conn::AsyncSqliteConnection;

use crate::error::AppError;

/// A pool of async SQLite connections: every request.
pub type AsyncSqlitePool = AsyncPool<AsyncSqliteConnection>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// What every SQLite connection runs first: wait for a busy database instead of
/// failing, and check foreign keys.
const SQLITE_SETUP: &str = "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;";

/// How long a request waits for a pooled connection before it fails
/// (deadpool's own timeouts need a runtime feature that diesel-async does not
/// enable).
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(10);

/// The application's database.
pub enum Db {
    /// One SQLite file; the library's type wall is the isolation.
    Sqlite(SqliteDb),
    /// PostgreSQL, with row-level security as the second wall.
    #[cfg(feature = "postgres")]
    Postgres(crate::pg::PgDb),
    /// MySQL or MariaDB; the library's type wall is the isolation.
    #[cfg(feature = "mysql")]
    Mysql(crate::mysql::MysqlDb),
}

impl Db {
    /// `sqlite` or `postgres`, for the start-up banner.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            #[cfg(feature = "postgres")]
            Self::Postgres(_) => "postgres (row-level security verified)",
            #[cfg(feature = "mysql")]
            Self::Mysql(_) => "mysql (no row-level security: the type wall; privileges verified)",
        }
    }
}

/// The pool of SQLite mode.
pub struct SqliteDb {
    /// Async connections (diesel-async's wrapper) for the requests: plain ones
    /// before a tenant is known, `AsyncTenantConn` after, `AsyncAdminConn` on
    /// the admin page (SQLite has no roles: the type wall is the isolation).
    pub app: AsyncSqlitePool,
}

impl SqliteDb {
    /// An async connection from the pool.
    pub async fn conn(&self) -> Result<Object<AsyncSqliteConnection>, AppError> {
        checkout(self.app.get()).await
    }
}

/// Waits at most [`CHECKOUT_TIMEOUT`] for a pooled connection.
pub(crate) async fn checkout<T, E>(get: impl Future<Output = Result<T, E>>) -> Result<T, AppError>
where
    AppError: From<E>,
{
    match tokio::time::timeout(CHECKOUT_TIMEOUT, get).await {
        Ok(conn) => Ok(conn?),
        Err(_) => Err(AppError::PoolTimeout(CHECKOUT_TIMEOUT)),
    }
}

/// Runs `$body` (in an async fn: it may `.await`) with `$conn`, an
/// `AsyncTenantConn` for `$ctx` over a connection of the async pool.
#[macro_export]
macro_rules! with_tenant_conn {
    ($db:expr, $ctx:expr, |$conn:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite(db) => {
                let mut $conn =
                    ::tenant_diesel::async_conn::AsyncTenantConn::new(db.conn().await?, $ctx);
                $body
            }
            #[cfg(feature = "postgres")]
            $crate::db::Db::Postgres(pg) => {
                let mut $conn = ::tenant_diesel::async_conn::AsyncTenantConn::with_setting(
                    pg.conn().await?,
                    $ctx,
                    pg.setting.clone(),
                );
                $body
            }
            #[cfg(feature = "mysql")]
            $crate::db::Db::Mysql(my) => {
                let mut $conn =
                    ::tenant_diesel::async_conn::AsyncTenantConn::new(my.conn().await?, $ctx);
                $body
            }
        }
    };
}

/// Runs `$body` (in an async fn: it may `.await`) with `$conn`, a plain pooled
/// diesel-async connection for the global tables (users, memberships, tenants):
/// what runs before any tenant is known. Queries on it run with
/// `diesel_async::RunQueryDsl` on `&mut *$conn`.
#[macro_export]
macro_rules! with_plain_conn {
    ($db:expr, |$conn:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite(db) => {
                let mut $conn = db.conn().await?;
                $body
            }
            #[cfg(feature = "postgres")]
            $crate::db::Db::Postgres(pg) => {
                let mut $conn = pg.conn().await?;
                $body
            }
            #[cfg(feature = "mysql")]
            $crate::db::Db::Mysql(my) => {
                let mut $conn = my.conn().await?;
                $body
            }
        }
    };
}

/// Runs `$body` (in an async fn: it may `.await`) with `$conn`, an
/// `AsyncAdminConn` opened with `$admin`: on PostgreSQL over the owner's pool,
/// which row-level security does not restrict; on SQLite and MySQL, which have
/// none, over the application's pool.
#[macro_export]
macro_rules! with_admin_conn {
    ($db:expr, $admin:expr, |$conn:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite(db) => {
                let mut $conn =
                    ::tenant_diesel::async_conn::AsyncAdminConn::new(db.conn().await?, $admin);
                $body
            }
            #[cfg(feature = "postgres")]
            $crate::db::Db::Postgres(pg) => {
                let mut $conn = ::tenant_diesel::async_conn::AsyncAdminConn::new(
                    pg.admin_conn().await?,
                    $admin,
                );
                $body
            }
            #[cfg(feature = "mysql")]
            $crate::db::Db::Mysql(my) => {
                let mut $conn =
                    ::tenant_diesel::async_conn::AsyncAdminConn::new(my.conn().await?, $admin);
                $body
            }
        }
    };
}

/// The async pool's manager: every connection it opens runs [`SQLITE_SETUP`]
/// before its first use. A connection to a local file does not drop, so a
/// returned one is reused without a test query (which would cost a trip to a
/// blocking thread per checkout).
fn async_sqlite_manager(url: &str) -> AsyncDieselConnectionManager<AsyncSqliteConnection> {
    let mut config = ManagerConfig::<AsyncSqliteConnection>::default();
    config.recycling_method = RecyclingMethod::Fast;
    config.custom_setup = Box::new(|url| {
        Box::pin(async move {
            let mut conn = AsyncSqliteConnection::establish(url).await?;
            conn.batch_execute(SQLITE_SETUP)
                .await
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
            Ok(conn)
        })
    });
    AsyncDieselConnectionManager::new_with_config(url, config)
}

/// Creates the SQLite database file `path`, unless it exists, readable and
/// writable by its owner only (0600), before SQLite opens it: SQLite would make
/// it 0644 (under the usual umask), and it gives the files it makes beside it
/// (`-wal`, `-shm`, `-journal`) the main file's mode. A database that already
/// exists keeps its mode; `:memory:` and `file:` URIs are SQLite's business.
pub fn create_private(path: &Path) -> Result<(), AppError> {
    let name = path.to_string_lossy();
    if name.is_empty() || name == ":memory:" || name.starts_with("file:") {
        return Ok(());
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .map(drop)
        .map_err(|e| AppError::Startup(format!("cannot create {}: {e}", path.display())))
}

/// Opens (creating if needed, owner-only) the SQLite database at `path`, migrates
/// it and seeds the demo data into an empty one. Start-up code: sync, on a
/// blocking thread.
pub fn open_sqlite(path: &Path) -> Result<Db, AppError> {
    let url = path
        .to_str()
        .ok_or_else(|| AppError::Startup(format!("not a UTF-8 path: {}", path.display())))?;
    create_private(path)?;
    let mut conn = SqliteConnection::establish(url)
        .map_err(|e| AppError::Startup(format!("cannot open {url}: {e}")))?;
    conn.batch_execute(SQLITE_SETUP)?;
    // WAL lets readers run beside the one writer: the 1,000-request test reads
    // while sessions select accounts. It is a property of the file, so once is
    // enough for every connection of the pool.
    conn.batch_execute("PRAGMA journal_mode = WAL;")?;
    conn.run_pending_migrations(SQLITE_MIGRATIONS)
        .map_err(|e| AppError::Startup(format!("sqlite migrations failed: {e}")))?;
    crate::seed::seed_sqlite(&mut conn)?;
    // No shared table may be a tenant table under a second declaration: SQLite
    // has no row-level security behind the types to catch it.
    declared_tables()
        .verify_sqlite(&mut conn)
        .map_err(|e| AppError::Startup(e.to_string()))?;
    drop(conn);
    // Connections are opened on first use, on the runtime that serves requests.
    let app = AsyncPool::builder(async_sqlite_manager(url))
        .max_size(8)
        .build()
        .map_err(|e| AppError::Startup(format!("cannot open {url}: {e}")))?;
    Ok(Db::Sqlite(SqliteDb { app }))
}

/// The dashboard's tenant and shared tables, for the start-up checks.
pub(crate) fn declared_tables() -> tenant_diesel::DeclaredTables {
    tenant_diesel::DeclaredTables::new()
        .tenant_table::<crate::schema::accounts::table>()
        .global_table::<crate::schema::tenants::table>()
}
