//! The SQLite fixture: a database file in a temporary directory, seeded.

use diesel::connection::SimpleConnection;
use diesel::{Connection, QueryDsl, SqliteConnection};

use crate::{accounts, Account, SEED_SQL};

/// The backend of this fixture.
pub type Backend = diesel::sqlite::Sqlite;

/// A fresh database with the schema and the seed rows.
pub struct TestDb {
    /// The application's connection: wrap it in a `TenantConn`.
    pub app: SqliteConnection,
    /// A second connection that reads and resets around the wall, to check what
    /// the application's statements did to every tenant.
    pub observer: SqliteConnection,
    /// What a `TenantConn` would set on a database with a wall (SQLite has none).
    pub setting: tenant_diesel::TenantSetting,
    path: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

/// The same schema migration PostgreSQL runs: its SQL is portable to SQLite.
const SCHEMA: &str = include_str!("../migrations/2024-01-01-000000_create_schema/up.sql");

impl TestDb {
    /// Creates and seeds the database.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("test.sqlite3");
        let url = path.to_str().expect("a UTF-8 path");
        let mut app = SqliteConnection::establish(url).expect("open the SQLite file");
        // Durability is not what these tests are about; speed is welcome.
        app.batch_execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;")
            .expect("set the journal mode");
        app.batch_execute(SCHEMA).expect("create the schema");
        app.batch_execute(SEED_SQL).expect("seed the rows");
        let observer = SqliteConnection::establish(url).expect("open the SQLite file again");
        Self {
            app,
            observer,
            setting: tenant_diesel::TenantSetting::default(),
            path,
            _dir: dir,
        }
    }

    /// The database file, as a connection URL.
    pub fn url(&self) -> String {
        self.path.display().to_string()
    }

    /// Every account of every tenant, by id.
    pub fn all_accounts(&mut self) -> Vec<Account> {
        diesel::RunQueryDsl::load(accounts::table.order(accounts::id), &mut self.observer)
            .expect("read every account")
    }
}

impl Default for TestDb {
    fn default() -> Self {
        Self::new()
    }
}
