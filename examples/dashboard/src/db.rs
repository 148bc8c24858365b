//! The database: SQLite or PostgreSQL behind one enum, the embedded migrations, and
//! the three ways the dashboard opens a connection (plain, for one tenant, admin).
//!
//! Diesel's connection types differ per backend, so each query is written once and
//! compiled once per backend by the macros below: every arm type-checks the same
//! body against its own connection.

use std::path::Path;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::AppError;

/// A pool of SQLite connections.
pub type SqlitePool = Pool<ConnectionManager<SqliteConnection>>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// The application's database.
pub enum Db {
    /// One SQLite file; the library's type wall is the isolation.
    Sqlite(SqlitePool),
    /// PostgreSQL, with row-level security as the second wall.
    #[cfg(feature = "postgres")]
    Postgres(crate::pg::PgDb),
}

impl Db {
    /// `sqlite` or `postgres`, for the start-up banner.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            #[cfg(feature = "postgres")]
            Self::Postgres(_) => "postgres (row-level security verified)",
        }
    }
}

/// Runs `$body` with `$conn`, a `TenantConn` for `$ctx` from the pool.
#[macro_export]
macro_rules! with_tenant_conn {
    ($db:expr, $ctx:expr, |$conn:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite(pool) => {
                let mut $conn = ::tenant_diesel::TenantConn::new(pool.get()?, $ctx);
                $body
            }
            #[cfg(feature = "postgres")]
            $crate::db::Db::Postgres(pg) => {
                let mut $conn = pg.tenants.conn($ctx)?;
                $body
            }
        }
    };
}

/// Runs `$body` with `$conn`, a plain connection for the global tables (users,
/// memberships, tenants): what runs before any tenant is known.
#[macro_export]
macro_rules! with_plain_conn {
    ($db:expr, |$conn:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite(pool) => {
                let mut $conn = pool.get()?;
                $body
            }
            #[cfg(feature = "postgres")]
            $crate::db::Db::Postgres(pg) => {
                let mut $conn = pg.app.get()?;
                $body
            }
        }
    };
}

/// Runs `$body` with `$conn`, an `AdminConn` opened with `$admin`: on PostgreSQL
/// over the owner's pool, which row-level security does not restrict.
#[macro_export]
macro_rules! with_admin_conn {
    ($db:expr, $admin:expr, |$conn:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite(pool) => {
                let mut $conn = ::tenant_diesel::AdminConn::new(pool.get()?, $admin);
                $body
            }
            #[cfg(feature = "postgres")]
            $crate::db::Db::Postgres(pg) => {
                let mut $conn = ::tenant_diesel::AdminConn::new(pg.admin.get()?, $admin);
                $body
            }
        }
    };
}

/// Every SQLite connection waits for a busy database instead of failing, and
/// checks foreign keys.
#[derive(Debug)]
struct SqliteSetup;

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for SqliteSetup {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute("PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;")
            .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// Opens (creating if needed) the SQLite database at `path`, migrates it and seeds
/// the demo data into an empty one.
pub fn open_sqlite(path: &Path) -> Result<Db, AppError> {
    let url = path
        .to_str()
        .ok_or_else(|| AppError::Startup(format!("not a UTF-8 path: {}", path.display())))?;
    let pool = Pool::builder()
        .max_size(8)
        .connection_timeout(Duration::from_secs(10))
        .connection_customizer(Box::new(SqliteSetup))
        .build(ConnectionManager::<SqliteConnection>::new(url))
        .map_err(|e| AppError::Startup(format!("cannot open {url}: {e}")))?;
    let mut conn = pool.get()?;
    // WAL lets readers run beside the one writer: the 1,000-request test reads
    // while sessions select accounts.
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
    Ok(Db::Sqlite(pool))
}

/// The dashboard's tenant and shared tables, for the start-up check.
fn declared_tables() -> tenant_diesel::DeclaredTables {
    tenant_diesel::DeclaredTables::new()
        .tenant_table::<crate::schema::accounts::table>()
        .global_table::<crate::schema::tenants::table>()
}
