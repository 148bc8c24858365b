//! The tenant directory over the global tenants table, on both backends.

use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, Pool};
use diesel::SqliteConnection;
use tenant_diesel::{DirectoryError, TenantDirectory, TenantId, TenantSlug};
use tenant_diesel_tests::postgres::{PgServer, TestDb as PgTestDb};
use tenant_diesel_tests::sqlite::TestDb as SqliteTestDb;
use tenant_diesel_tests::tenants;

tenant_diesel::tenants_directory! {
    /// The tenants of a SQLite database.
    struct SqliteDirectory(Pool<ConnectionManager<SqliteConnection>>) for tenants;
}

tenant_diesel::tenants_directory! {
    /// The tenants of a PostgreSQL database.
    struct PgDirectory(Pool<ConnectionManager<PgConnection>>) for tenants;
}

fn slug(s: &str) -> TenantSlug {
    TenantSlug::parse(s).unwrap()
}

fn check(directory: &impl TenantDirectory<Error = DirectoryError>) {
    let acme = directory.find_by_slug(&slug("acme")).unwrap().unwrap();
    assert_eq!(
        (acme.id, acme.name.as_str(), acme.plan.as_str()),
        (TenantId::new(1), "Acme", "pro")
    );
    let contoso = directory.find_by_slug(&slug("contoso")).unwrap().unwrap();
    assert_eq!(contoso.id, TenantId::new(2));
    assert!(directory.find_by_slug(&slug("initech")).unwrap().is_none());
}

#[test]
fn the_directory_finds_tenants_by_slug_on_sqlite() {
    let db = SqliteTestDb::new();
    let pool = Pool::builder()
        .max_size(1)
        .build(ConnectionManager::<SqliteConnection>::new(db.url()))
        .unwrap();
    check(&SqliteDirectory(pool));
}

#[test]
fn the_directory_finds_tenants_by_slug_on_postgres() {
    let db = PgTestDb::new();
    // The tenants table is global: the application's role reads it without a tenant.
    let pool = Pool::builder()
        .max_size(1)
        .build(ConnectionManager::<PgConnection>::new(
            PgServer::shared().url(tenant_diesel_tests::postgres::APP_ROLE, &db.name),
        ))
        .unwrap();
    check(&PgDirectory(pool));
}
