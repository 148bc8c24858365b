//! The same HTTP suite on PostgreSQL: a throwaway server (started by the test
//! harness), the tables owned by the superuser, the application connecting as
//! `app_user` (no superuser, no BYPASSRLS, not the owner), row-level security
//! installed by the migrations and checked by `verify_isolation` at start-up.
#![cfg(feature = "postgres")]

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

use common::{config, Harness};
use dashboard::config::{Config, Database};
use diesel::connection::SimpleConnection;
use tenant_diesel_tests::postgres::{PgServer, APP_ROLE};

/// A fresh, empty database on the shared server; its name.
fn fresh_database() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let server = PgServer::shared();
    let name = format!(
        "dashboard_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = server.connect("postgres", "postgres");
    // The group role the migrations grant to is cluster-wide: created once, before
    // any dashboard starts (so that concurrent migrations find it and skip their
    // own `CREATE ROLE`), and given to `app_user`.
    static ROLE: OnceLock<()> = OnceLock::new();
    ROLE.get_or_init(|| {
        admin
            .batch_execute(&format!(
                "DO $$ BEGIN
                     IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dashboard_app') THEN
                         CREATE ROLE dashboard_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
                     END IF;
                 END $$;
                 GRANT dashboard_app TO {APP_ROLE};"
            ))
            .expect("the dashboard_app group role");
    });
    // On its own: CREATE DATABASE cannot run inside a multi-statement transaction.
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("a fresh database");
    name
}

/// `config` on a fresh database.
fn on_fresh_database(mut config: Config) -> Config {
    let server = PgServer::shared();
    let name = fresh_database();
    config.database = Database::Postgres {
        app: server.url(APP_ROLE, &name),
        admin: server.url("postgres", &name),
    };
    config
}

/// A dashboard on a fresh database; so is every other one the test starts.
async fn postgres() -> Harness {
    let config = on_fresh_database(config(Database::DemoSqlite, None));
    let harness = Harness::start(config)
        .await
        .with_fresh_databases(on_fresh_database);
    assert!(harness.server.app.db.kind().starts_with("postgres"));
    harness
}

http_suite!(postgres);

/// The start-up check refuses an application role that owns the tables (here: the
/// superuser as the app), naming the problem.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_to_start_as_a_role_that_bypasses_rls() {
    let server = PgServer::shared();
    let name = fresh_database();
    let database = Database::Postgres {
        app: server.url("postgres", &name),
        admin: server.url("postgres", &name),
    };
    let error = match dashboard::start(config(database, None)).await {
        Ok(_) => panic!("started as a superuser"),
        Err(e) => e.to_string(),
    };
    assert!(error.contains("refusing to start"), "{error}");
}
