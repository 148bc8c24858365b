//! PostgreSQL mode: the owner migrates (schema, then the library's row-level
//! security), the application's role is checked with `verify_isolation` before
//! the server starts, and handlers get `TenantDb::conn(&ctx)`.

use std::time::Duration;

use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, Pool};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use tenant_diesel::postgres::{verify_isolation, RlsMigrations, TenantDb};

use crate::error::AppError;

/// A pool of PostgreSQL connections.
pub type PgPool = Pool<ConnectionManager<PgConnection>>;

const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// The row-level-security migration of the dashboard's tenant tables; its version
/// orders it after the schema's. The shared tables are declared too, so that
/// `verify_isolation` refuses one that is a tenant table under another name.
pub fn rls() -> RlsMigrations {
    RlsMigrations::new("20240101000001")
        .tenant_table::<crate::schema::accounts::table>()
        .global_table::<crate::schema::tenants::table>()
}

/// The three pools of PostgreSQL mode.
pub struct PgDb {
    /// The application's role, for the global tables (users, memberships, tenants).
    pub app: PgPool,
    /// The application's role, one tenant per unit of work.
    pub tenants: TenantDb,
    /// The owner's role, for the audited admin page only.
    pub admin: PgPool,
}

fn pool(url: &str, size: u32) -> Result<PgPool, AppError> {
    Pool::builder()
        .max_size(size)
        .connection_timeout(Duration::from_secs(10))
        .build(ConnectionManager::<PgConnection>::new(url))
        .map_err(|e| AppError::Startup(format!("cannot connect to postgres: {e}")))
}

/// Migrates and seeds as the owner, then refuses to start unless the app role is
/// held by row-level security.
pub fn open_postgres(app_url: &str, admin_url: &str) -> Result<crate::db::Db, AppError> {
    let admin = pool(admin_url, 2)?;
    let rls = rls();
    {
        let mut conn = admin.get()?;
        conn.run_pending_migrations(PG_MIGRATIONS)
            .map_err(|e| AppError::Startup(format!("postgres migrations failed: {e}")))?;
        conn.run_pending_migrations(rls.clone())
            .map_err(|e| AppError::Startup(format!("row-level security migrations failed: {e}")))?;
        crate::seed::seed_pg(&mut conn)?;
    }
    let app = pool(app_url, 8)?;
    verify_isolation(&mut *app.get()?, &rls)
        .map_err(|e| AppError::Startup(format!("refusing to start: {e}")))?;
    Ok(crate::db::Db::Postgres(PgDb {
        tenants: TenantDb::new(app.clone()),
        app,
        admin,
    }))
}
