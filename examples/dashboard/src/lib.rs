//! The tutorial's SaaS dashboard, built on tenant-diesel's public API only.
//!
//! `cargo run -p dashboard` serves `http://acme.localhost:3000/dashboard/` and
//! `http://contoso.localhost:3000/dashboard/` from a fresh SQLite database with
//! demo data; `DATABASE_URL=postgres://..` (with `ADMIN_DATABASE_URL`) switches to
//! PostgreSQL with row-level security, `DATABASE_URL=mysql://..` (with
//! `ADMIN_DATABASE_URL` and `AUDIT_DATABASE_URL`) to MySQL or MariaDB, and
//! `REDIS_URL` moves the cache and session state to Redis. [`start`] is what `main` and the tests call.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod auth;
pub mod config;
pub mod db;
pub mod error;
pub mod login_throttle;
pub mod models;
#[cfg(feature = "mysql")]
pub mod mysql;
pub mod pages;
pub mod password_checks;
#[cfg(feature = "postgres")]
pub mod pg;
pub mod routes;
pub mod schema;
pub mod seed;
pub mod serve;
pub mod session;
pub mod session_cookie;
pub mod state;
pub mod store;

use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use diesel::sqlite::SqliteConnection;
use tenant_diesel::audit::{
    AuditError, AuditEvent, Auditor, DenialAudit, DieselAuditSink, QueueSettings,
};
use tenant_diesel::resolve::TenantResolver;
use tenant_diesel::{TenantCache, TenantConfig};

use crate::config::{Config, Database};
use crate::error::AppError;
use crate::login_throttle::LoginThrottle;
use crate::password_checks::PasswordChecks;
use crate::session::Sessions;
use crate::session_cookie::SessionCookie;
use crate::state::{App, Inner};

/// The audit log, read back by the tests and by whoever investigates.
#[derive(Clone)]
pub enum AuditLog {
    /// An SQLite audit database beside the data.
    Sqlite(Arc<DieselAuditSink<SqliteConnection>>),
    /// The `audit_events` table of the PostgreSQL database, written as the owner.
    #[cfg(feature = "postgres")]
    Postgres(Arc<DieselAuditSink<diesel::pg::PgConnection>>),
    /// The `audit_events` table of a MySQL database of its own
    /// (`AUDIT_DATABASE_URL`), through diesel-async's driver behind its
    /// blocking wrapper: read it off the runtime's worker threads.
    #[cfg(feature = "mysql")]
    Mysql(Arc<DieselAuditSink<tenant_diesel::audit::MysqlAuditConnection>>),
}

impl AuditLog {
    /// Every event so far, oldest first.
    pub fn events(&self) -> Result<Vec<AuditEvent>, AuditError> {
        match self {
            Self::Sqlite(sink) => sink.events(),
            #[cfg(feature = "postgres")]
            Self::Postgres(sink) => sink.events(),
            #[cfg(feature = "mysql")]
            Self::Mysql(sink) => sink.events(),
        }
    }

    /// A queued auditor over the log: handlers await their event's write
    /// without holding a runtime thread, and concurrent requests share one
    /// transaction (one `fsync`). Its writer thread is left to run: it stops when
    /// the last auditor is dropped, and nothing waits in its queue that a request
    /// still in flight is not itself waiting for.
    fn auditor(&self) -> Result<Auditor, AuditError> {
        let queued = match self {
            Self::Sqlite(sink) => Auditor::queued(sink.clone(), QueueSettings::default()),
            #[cfg(feature = "postgres")]
            Self::Postgres(sink) => Auditor::queued(sink.clone(), QueueSettings::default()),
            #[cfg(feature = "mysql")]
            Self::Mysql(sink) => Auditor::queued(sink.clone(), QueueSettings::default()),
        };
        queued.map(|(auditor, _writer)| auditor)
    }
}

/// A running dashboard.
pub struct Server {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its state (the tests expire sessions through it).
    pub app: App,
    /// Its audit log.
    pub audit_log: AuditLog,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    /// Sent, or dropped with the server, to stop serving.
    stop: tokio::sync::oneshot::Sender<()>,
    // The demo database lives as long as the server.
    _data_dir: Option<tempfile::TempDir>,
}

impl Server {
    /// Serves until the process ends.
    pub async fn wait(self) -> std::io::Result<()> {
        let _keep = (self._data_dir, self.stop);
        self.task.await.map_err(std::io::Error::other)?
    }

    /// Serves until `signal` completes, then shuts down: stops accepting, lets
    /// the requests in flight finish, closes the databases and removes the demo
    /// database's temporary directory.
    pub async fn run_until(mut self, signal: impl Future<Output = ()>) -> std::io::Result<()> {
        let served = tokio::select! {
            served = &mut self.task => served,
            () = signal => {
                // The serving task may have ended on its own meanwhile.
                let _ = self.stop.send(());
                (&mut self.task).await
            }
        };
        let Self {
            app,
            audit_log,
            _data_dir: data_dir,
            ..
        } = self;
        // Every connection is closed, so these are the last handles on the
        // databases: close them before their files go.
        drop(app);
        drop(audit_log);
        let removed = data_dir.map_or(Ok(()), tempfile::TempDir::close);
        served.map_err(std::io::Error::other)??;
        removed
    }

    /// The temporary directory of the demo database (the default, no
    /// `DATABASE_URL`): owner-only, it holds the SQLite files and the audit
    /// database, and goes when the server does. `None` for any other database.
    pub fn data_dir(&self) -> Option<&Path> {
        self._data_dir.as_ref().map(tempfile::TempDir::path)
    }

    /// `http://<tenant>.<domain>:<port>`, for links and tests.
    pub fn url(&self, subdomain: &str) -> String {
        let base = self
            .app
            .www_url
            .trim_start_matches("http://www.")
            .trim_end_matches('/');
        if subdomain.is_empty() {
            format!("http://{base}")
        } else {
            format!("http://{subdomain}.{base}")
        }
    }
}

/// Opens the database, checks it, binds the port and serves on the current tokio
/// runtime.
pub async fn start(config: Config) -> Result<Server, AppError> {
    let resolver = resolver(&config.domain)?;
    let login_limits = config.login_limits();
    let (store, store_kind) = store::open(config.redis_url.as_deref())?;
    // Start-up is sync and runs once, before anything is served: migrations,
    // seeding (argon2 hashes), the isolation checks (`verify_isolation`,
    // `verify_sqlite`) and the sync pools, on a blocking thread. Requests then
    // query through the async pools.
    let (db, audit_log, data_dir) = tokio::task::spawn_blocking(move || {
        open_database(&config.database, config.wall_key.as_deref())
    })
    .await??;
    let listener = tokio::net::TcpListener::bind((config.bind, config.port))
        .await
        .map_err(|e| {
            AppError::Startup(format!(
                "cannot listen on {}:{}: {e}",
                config.bind, config.port
            ))
        })?;
    let addr = listener
        .local_addr()
        .map_err(|e| AppError::Startup(format!("no local address: {e}")))?;
    let audit = audit_log.auditor()?;
    let app = App(Arc::new(Inner {
        db,
        resolver,
        denials: DenialAudit::new(audit.clone()),
        audit,
        sessions: Sessions::new(
            config.session_ttl,
            SessionCookie::new(config.secure_cookies),
        ),
        cache: TenantCache::with_store(store.clone()),
        store,
        store_kind,
        www_url: format!("http://www.{}:{}/", config.domain, addr.port()),
        www_host: routes::www_host(&config.domain),
        login_throttle: LoginThrottle::new(login_limits),
        password_checks: PasswordChecks::per_core(),
    }));
    let router = routes::router(app.clone());
    let limits = serve::Limits {
        header_read_timeout: config.header_read_timeout,
    };
    let (stop, stopped) = tokio::sync::oneshot::channel();
    let task = tokio::spawn(serve::serve(listener, router, limits, async move {
        // Told to stop, or the server dropped.
        let _ = stopped.await;
    }));
    Ok(Server {
        addr,
        app,
        audit_log,
        task,
        stop,
        _data_dir: data_dir,
    })
}

/// Subdomains of `domain`, with `required = false`: a request that names no tenant
/// (the apex) is the `public` default outcome, which the routes redirect to www.
fn resolver(domain: &str) -> Result<TenantResolver, AppError> {
    let toml = format!(
        "domain = {}\nrequired = false\n",
        serde_json::Value::from(domain)
    );
    let config = TenantConfig::from_toml(&toml)
        .map_err(|e| AppError::Startup(format!("bad DOMAIN: {e}")))?;
    TenantResolver::from_config(&config).map_err(|e| AppError::Startup(format!("bad DOMAIN: {e}")))
}

type Opened = (db::Db, AuditLog, Option<tempfile::TempDir>);

/// `wall_key`: the hexadecimal key that signs the tenant on PostgreSQL, if set.
fn open_database(database: &Database, wall_key: Option<&str>) -> Result<Opened, AppError> {
    let sqlite_audit = |path: &std::path::Path| -> Result<AuditLog, AppError> {
        let url = path
            .to_str()
            .ok_or_else(|| AppError::Startup("not a UTF-8 path".into()))?;
        db::create_private(path)?;
        Ok(AuditLog::Sqlite(Arc::new(DieselAuditSink::<
            SqliteConnection,
        >::open(url)?)))
    };
    match database {
        Database::DemoSqlite => {
            // Owner-only (0700): it holds password hashes and the audit log.
            let mut dir = tempfile::Builder::new();
            dir.prefix("dashboard-");
            #[cfg(unix)]
            dir.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
            let dir = dir
                .tempdir()
                .map_err(|e| AppError::Startup(format!("no temporary directory: {e}")))?;
            let db = db::open_sqlite(&dir.path().join("dashboard.db"))?;
            let audit = sqlite_audit(&dir.path().join("audit.db"))?;
            Ok((db, audit, Some(dir)))
        }
        Database::Sqlite(path) => {
            let path = std::path::PathBuf::from(path);
            let db = db::open_sqlite(&path)?;
            let audit = sqlite_audit(&path.with_extension("audit.db"))?;
            Ok((db, audit, None))
        }
        #[cfg(feature = "postgres")]
        Database::Postgres { app, admin } => {
            let db = pg::open_postgres(app, admin, wall_key)?;
            let sink = DieselAuditSink::<diesel::pg::PgConnection>::open(admin)?;
            Ok((db, AuditLog::Postgres(Arc::new(sink)), None))
        }
        #[cfg(not(feature = "postgres"))]
        Database::Postgres { .. } => Err(AppError::Startup(
            "this build has no PostgreSQL support: build with the default `postgres` feature"
                .into(),
        )),
        #[cfg(feature = "mysql")]
        Database::Mysql { app, admin, audit } => {
            let audit_database = database_of(audit)?;
            let db = mysql::open_mysql(app, admin, audit_database)?;
            Ok((db, AuditLog::Mysql(Arc::new(mysql_audit(audit)?)), None))
        }
        #[cfg(not(feature = "mysql"))]
        Database::Mysql { .. } => Err(AppError::Startup(
            "this build has no MySQL support: build with the default `mysql` feature".into(),
        )),
    }
}

/// The database a `mysql://` URL names: the last segment of its path.
#[cfg(feature = "mysql")]
fn database_of(url: &str) -> Result<&str, AppError> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let after_host = path
        .strip_prefix("mysql://")
        .and_then(|rest| rest.split_once('/'));
    match after_host {
        Some((_, name)) if !name.is_empty() && !name.contains('/') => Ok(name),
        _ => Err(AppError::Startup(format!(
            "AUDIT_DATABASE_URL names no database: {url}"
        ))),
    }
}

/// The MySQL audit log, opened on a thread of its own so that its blocking
/// wrapper runs its own runtime: the sink is written by the auditor's writer
/// thread and never needs the one that serves requests.
#[cfg(feature = "mysql")]
fn mysql_audit(
    url: &str,
) -> Result<DieselAuditSink<tenant_diesel::audit::MysqlAuditConnection>, AppError> {
    let url = url.to_owned();
    std::thread::spawn(move || DieselAuditSink::open(&url))
        .join()
        .map_err(|_| AppError::Startup("the audit database's opening panicked".into()))?
        .map_err(AppError::from)
}
