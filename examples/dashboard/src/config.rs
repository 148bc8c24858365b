//! The dashboard's settings, from the environment.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use crate::login_throttle::Limits;

/// Where the data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// A fresh SQLite database in a temporary directory, with the demo data: the
    /// default, so `cargo run -p dashboard` needs nothing else.
    DemoSqlite,
    /// An SQLite file (`DATABASE_URL=sqlite:path`), kept between runs.
    Sqlite(String),
    /// PostgreSQL (`DATABASE_URL=postgres://..`): `app` is the application's role,
    /// which must not own the tables; `admin` owns them (it runs the migrations,
    /// grants the app role its rights, holds the audit log and serves the
    /// cross-tenant admin page, so it must bypass row-level security).
    Postgres {
        /// The application's connection string (`DATABASE_URL`).
        app: String,
        /// The owner's connection string (`ADMIN_DATABASE_URL`).
        admin: String,
    },
    /// MySQL or MariaDB (`DATABASE_URL=mysql://..`): `app` is the application's
    /// user, which gets rows and no DDL; `admin` owns the tables (migrations,
    /// seeding); `audit` is a database of its own for the audit log, which the
    /// application's user must not reach.
    Mysql {
        /// The application's connection string (`DATABASE_URL`).
        app: String,
        /// The owner's connection string (`ADMIN_DATABASE_URL`).
        admin: String,
        /// The audit database's connection string (`AUDIT_DATABASE_URL`).
        audit: String,
    },
}

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// The address to bind (`BIND`, default 127.0.0.1).
    pub bind: IpAddr,
    /// The port (`PORT`, default 3000; 0 picks a free one).
    pub port: u16,
    /// The domain tenants are subdomains of (`DOMAIN`, default `localhost`, which
    /// browsers resolve with every subdomain to loopback).
    pub domain: String,
    /// Where the data lives (`DATABASE_URL`, `ADMIN_DATABASE_URL`).
    pub database: Database,
    /// The Redis server for the cache and session state (`REDIS_URL`); in memory
    /// when unset.
    pub redis_url: Option<String>,
    /// How long a login lasts (`SESSION_TTL_SECS`, default 8 hours).
    pub session_ttl: Duration,
    /// Whether the session cookie is `__Host-dashboard_session` with `Secure`
    /// (`SECURE_COOKIES=1`, default off). The `__Host-` prefix keeps a sibling
    /// subdomain (another tenant) from setting or overwriting the cookie; but a
    /// browser stores a `Secure` cookie only from HTTPS (or `localhost`), so turn
    /// it on when the dashboard is served over HTTPS (behind a TLS proxy). Off,
    /// the cookie is `dashboard_session` without `Secure`, for the plain-HTTP
    /// demo; the cookie under the other setting's name is never accepted.
    pub secure_cookies: bool,
    /// Failed logins allowed per account (the submitted name, known or not) in
    /// a window (`LOGIN_FAILURES_PER_ACCOUNT`, default 5): slows guessing one
    /// account's password from many addresses.
    pub login_failures_per_account: u32,
    /// Failed logins allowed per source (client address; an IPv6 address by its
    /// /64) in a window (`LOGIN_FAILURES_PER_SOURCE`, default 20): slows one
    /// client guessing across accounts. Higher than the per-account limit, as
    /// users behind one address (an office, a NAT) share it.
    pub login_failures_per_source: u32,
    /// The window of both limits (`LOGIN_WINDOW_SECS`, default 60), which starts
    /// at a key's first failure. Past a limit, logins for that key are answered
    /// 429 with `Retry-After`, before any password check, until it ends.
    pub login_window: Duration,
    /// PostgreSQL mode: the key that signs the tenant of each unit of work, in
    /// hexadecimal (`WALL_KEY`). Every server process of one database must share
    /// it; when unset, the server makes one at start and installs it, which is
    /// right for one process only.
    pub wall_key: Option<String>,
    /// How long a client has to send a request's head, the request line and
    /// headers, before the server closes its connection
    /// (`HEADER_READ_TIMEOUT_SECS`, default 10 seconds). Also how long a
    /// kept-alive connection may stay idle.
    pub header_read_timeout: Duration,
}

impl Config {
    /// The defaults: loopback, port 3000, `localhost`, demo SQLite, in-memory stores.
    pub fn demo() -> Self {
        Self {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 3000,
            domain: "localhost".to_owned(),
            database: Database::DemoSqlite,
            redis_url: None,
            session_ttl: Duration::from_secs(8 * 3600),
            secure_cookies: false,
            login_failures_per_account: 5,
            login_failures_per_source: 20,
            login_window: Duration::from_secs(60),
            wall_key: None,
            header_read_timeout: Duration::from_secs(10),
        }
    }

    /// The defaults, overridden by the environment.
    pub fn from_env() -> Result<Self, String> {
        Self::from_env_with(|name| std::env::var(name).ok())
    }

    /// The defaults, overridden by the variables `lookup` finds (the
    /// environment, for [`from_env`](Self::from_env)); a blank value is unset.
    pub fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let mut config = Self::demo();
        if let Some(bind) = var("BIND") {
            config.bind = bind
                .parse()
                .map_err(|_| format!("BIND is not an IP address: {bind}"))?;
        }
        if let Some(port) = var("PORT") {
            config.port = port
                .parse()
                .map_err(|_| format!("PORT is not a port number: {port}"))?;
        }
        if let Some(domain) = var("DOMAIN") {
            config.domain = domain;
        }
        if let Some(ttl) = var("SESSION_TTL_SECS") {
            let secs: u64 = ttl
                .parse()
                .map_err(|_| format!("SESSION_TTL_SECS is not a number: {ttl}"))?;
            config.session_ttl = Duration::from_secs(secs);
        }
        if let Some(secure) = var("SECURE_COOKIES") {
            config.secure_cookies = match secure.trim() {
                "1" | "true" | "on" | "yes" => true,
                "0" | "false" | "off" | "no" => false,
                _ => return Err(format!("SECURE_COOKIES is not 1 or 0: {secure}")),
            };
        }
        // At least one: a limit of zero would refuse every login.
        let positive = |name: &str, value: String| -> Result<u32, String> {
            value
                .parse()
                .ok()
                .filter(|n| *n > 0)
                .ok_or(format!("{name} is not a positive number: {value}"))
        };
        if let Some(limit) = var("LOGIN_FAILURES_PER_ACCOUNT") {
            config.login_failures_per_account = positive("LOGIN_FAILURES_PER_ACCOUNT", limit)?;
        }
        if let Some(limit) = var("LOGIN_FAILURES_PER_SOURCE") {
            config.login_failures_per_source = positive("LOGIN_FAILURES_PER_SOURCE", limit)?;
        }
        if let Some(secs) = var("LOGIN_WINDOW_SECS") {
            let secs = positive("LOGIN_WINDOW_SECS", secs)?;
            config.login_window = Duration::from_secs(secs.into());
        }
        config.redis_url = var("REDIS_URL");
        config.wall_key = var("WALL_KEY");
        config.database = match var("DATABASE_URL") {
            None => Database::DemoSqlite,
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                // Fail closed: without an owner's URL the app role would have to own
                // the tables, which `verify_isolation` refuses anyway.
                let admin = var("ADMIN_DATABASE_URL").ok_or(
                    "DATABASE_URL is PostgreSQL: set ADMIN_DATABASE_URL too, for a role that owns the tables and bypasses row-level security (migrations, grants, audit log, admin page)",
                )?;
                Database::Postgres { app: url, admin }
            }
            Some(url) if url.starts_with("mysql://") => {
                // Fail closed: MySQL has no row-level security, so the owner and
                // the audit log must be out of the application user's reach.
                let admin = var("ADMIN_DATABASE_URL").ok_or(
                    "DATABASE_URL is MySQL: set ADMIN_DATABASE_URL too, for a user that owns the tables (migrations, seeding); the application's user gets rows only",
                )?;
                let audit = var("AUDIT_DATABASE_URL").ok_or(
                    "DATABASE_URL is MySQL: set AUDIT_DATABASE_URL too, for the audit log in a database of its own that the application's user has no privilege on",
                )?;
                Database::Mysql {
                    app: url,
                    admin,
                    audit,
                }
            }
            Some(url) => Database::Sqlite(url.strip_prefix("sqlite:").unwrap_or(&url).to_owned()),
        };
        if let Some(timeout) = var("HEADER_READ_TIMEOUT_SECS") {
            let secs: u64 = timeout
                .parse()
                .ok()
                .filter(|secs| *secs > 0)
                .ok_or_else(|| {
                    format!("HEADER_READ_TIMEOUT_SECS is not a positive number: {timeout}")
                })?;
            config.header_read_timeout = Duration::from_secs(secs);
        }
        Ok(config)
    }

    /// The login throttle's limits.
    pub fn login_limits(&self) -> Limits {
        Limits {
            per_account: self.login_failures_per_account,
            per_source: self.login_failures_per_source,
            window: self.login_window,
        }
    }
}
