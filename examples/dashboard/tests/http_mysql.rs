//! The same HTTP suite on MariaDB: a throwaway server (started by the test
//! harness), the tables owned by `root`, the application connecting as a
//! user of its own with rows of its database only (`SELECT, INSERT, UPDATE, DELETE`),
//! the audit log in a database of its own that this user cannot reach, and the
//! start-up check (`tenant_diesel::mysql::verify_isolation`) run before serving.
//! MySQL has no row-level security: what these tests see is the library's type
//! wall alone.
#![cfg(feature = "mysql")]

mod common;

use std::sync::atomic::{AtomicU32, Ordering};

use common::{config, Harness};
use dashboard::config::{Config, Database};
use diesel::connection::SimpleConnection;
use tenant_diesel_tests::mysql::MysqlServer;

/// Fresh databases for one dashboard, all owned by `root`.
struct Fresh {
    /// The application's database: its user may read and write its rows.
    name: String,
    /// The audit database: its user has nothing there.
    audit: String,
    /// The application's user, of this database alone: the start-up check
    /// refuses a user that holds rows of another database too.
    user: String,
}

/// A fresh, empty database with a user of its own that gets its rows, and an
/// audit database beside it that the user cannot reach.
fn fresh_databases() -> Fresh {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let suffix = format!(
        "{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let fresh = Fresh {
        name: format!("dashboard_{suffix}"),
        audit: format!("dashboard_{suffix}_audit"),
        user: format!("app_{suffix}"),
    };
    let Fresh { name, audit, user } = &fresh;
    MysqlServer::shared()
        .connect("root", "mysql")
        .batch_execute(&format!(
            "CREATE DATABASE {name}; CREATE DATABASE {audit}; \
             CREATE USER '{user}'@'localhost'; \
             GRANT SELECT, INSERT, UPDATE, DELETE ON {name}.* TO '{user}'@'localhost';"
        ))
        .expect("fresh databases");
    fresh
}

/// The MySQL configuration of `fresh`, as `app` for the application.
fn database_as(fresh: &Fresh, app: &str) -> Database {
    let server = MysqlServer::shared();
    Database::Mysql {
        app: server.async_url(app, &fresh.name),
        admin: server.async_url("root", &fresh.name),
        audit: server.async_url("root", &fresh.audit),
    }
}

/// `config` on fresh databases.
fn on_fresh_databases(mut config: Config) -> Config {
    let fresh = fresh_databases();
    config.database = database_as(&fresh, &fresh.user);
    config
}

/// A dashboard on fresh databases; so is every other one the test starts.
async fn mysql() -> Harness {
    let config = on_fresh_databases(config(Database::DemoSqlite, None));
    let harness = Harness::start(config)
        .await
        .with_fresh_databases(on_fresh_databases);
    assert!(harness.server.app.db.kind().starts_with("mysql"));
    harness
}

http_suite!(mysql);

/// The start-up check refuses `root` as the application's user, naming a
/// global privilege, and starts nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_to_start_as_a_user_with_global_privileges() {
    let fresh = fresh_databases();
    let error = match dashboard::start(config(database_as(&fresh, "root"), None)).await {
        Ok(_) => panic!("started as root"),
        Err(e) => e.to_string(),
    };
    assert!(error.contains("refusing to start"), "{error}");
    assert!(error.contains("*.*"), "{error}");
}

/// The start-up check refuses an application user that may read or erase the
/// audit log: it could hide what it did.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_to_start_when_the_app_user_reaches_the_audit_database() {
    let fresh = fresh_databases();
    let Fresh { audit, user, .. } = &fresh;
    MysqlServer::shared()
        .connect("root", "mysql")
        .batch_execute(&format!(
            "GRANT SELECT, DELETE ON {audit}.* TO '{user}'@'localhost'"
        ))
        .expect("the grant");
    let error = match dashboard::start(config(database_as(&fresh, user), None)).await {
        Ok(_) => panic!("started with the audit log in the app user's reach"),
        Err(e) => e.to_string(),
    };
    assert!(error.contains("refusing to start"), "{error}");
    assert!(error.contains(audit.as_str()), "{error}");
}

/// `DATABASE_URL=mysql://..` without the owner's or the audit database's URL
/// is refused before anything connects.
#[test]
fn a_mysql_url_needs_the_owner_and_the_audit_database() {
    let env = |vars: Vec<(&'static str, &'static str)>| {
        move |name: &str| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    };
    let app = ("DATABASE_URL", "mysql://app@localhost/dash");
    let admin = ("ADMIN_DATABASE_URL", "mysql://root@localhost/dash");
    let audit = ("AUDIT_DATABASE_URL", "mysql://root@localhost/dash_audit");
    let missing_admin = Config::from_env_with(env(vec![app, audit])).unwrap_err();
    assert!(
        missing_admin.contains("ADMIN_DATABASE_URL"),
        "{missing_admin}"
    );
    let missing_audit = Config::from_env_with(env(vec![app, admin])).unwrap_err();
    assert!(
        missing_audit.contains("AUDIT_DATABASE_URL"),
        "{missing_audit}"
    );
    let config = Config::from_env_with(env(vec![app, admin, audit])).unwrap();
    assert!(matches!(config.database, Database::Mysql { .. }));
}
