//! A real MariaDB (or MySQL) server for the tests, started by the tests
//! themselves: a temporary data directory made by `mariadb-install-db` (or
//! `mysql_install_db`), reached through a unix socket in that directory (no TCP
//! port at all), and stopped when the test process ends.
//!
//! One server per test binary; each test gets a fresh database with the schema
//! and the seed rows. The application connects as `app_user`, which may only
//! read and write the rows of that database (`SELECT, INSERT, UPDATE, DELETE`);
//! `root` owns everything and observes around the library.
//!
//! MySQL has no row-level security: there is no database wall here, and the
//! tests check what the library alone sends.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::mysql::MysqlConnection;
use diesel::{Connection, QueryDsl};

use crate::process::{self, RunDir};
use crate::{accounts, Account, SEED_SQL};

/// The role the application connects as.
pub const APP_USER: &str = "app_user";

/// The test schema on MySQL: the PostgreSQL schema's tables and keys, in MySQL's
/// types. Text is `VARCHAR(..) COLLATE utf8mb4_bin`: MariaDB's default collation
/// compares case-insensitively, so `'ACME'` would equal `'acme'`, and a UUID
/// tenant id kept as text in another spelling would match the tenant's own.
pub const SCHEMA: &str = include_str!("mysql_schema.sql");

/// A running server.
#[derive(Debug)]
pub struct MysqlServer {
    dir: PathBuf,
    next_database: AtomicUsize,
}

impl MysqlServer {
    /// The server of this test process, started on first use.
    ///
    /// Panics with the reason when MariaDB cannot be started (binaries missing,
    /// the data directory failing): a missing server fails the tests, it never
    /// skips them (and under `CI=true` it fails the run).
    pub fn shared() -> &'static MysqlServer {
        static SERVER: OnceLock<Result<MysqlServer, String>> = OnceLock::new();
        match SERVER.get_or_init(MysqlServer::start) {
            Ok(server) => server,
            Err(reason) => fail(reason),
        }
    }

    fn start() -> Result<MysqlServer, String> {
        let (install_db, server) = find_binaries()?;
        let dir = RunDir::create("tenant-diesel-mysql-")
            .map_err(|e| format!("cannot make a temporary directory: {e}"))?
            .keep();
        let data = dir.join("data");
        // mariadbd refuses to run as root unless told which user to become: the
        // `mysql` system user the package creates, in a directory it owns.
        let as_root = process::is_root();
        let user: &[&str] = if as_root { &["--user=mysql"] } else { &[] };
        if as_root {
            process::run(Command::new("chown").arg("-R").arg("mysql:").arg(&dir))?;
        }
        process::run(
            Command::new(&install_db)
                .arg("--no-defaults")
                .arg(format!("--datadir={}", data.display()))
                .args(["--auth-root-authentication-method=normal", "--skip-test-db"])
                .args(user),
        )?;
        // The watchdog shell is the server's parent and outlives it (as the
        // Redis harness's): `mariadbd.pid` holds the server's pid and start
        // time, for the sweep of a later run; the server's own pid file is
        // `server.pidfile`, which the sweep does not read.
        let script = format!(
            "'{server}' --no-defaults --datadir={dir}/data --socket={dir}/mysqld.sock \
               --skip-networking --pid-file={dir}/server.pidfile --log-error={dir}/server.log \
               --innodb-flush-log-at-trx-commit=0 --innodb-buffer-pool-size=64M \
               --innodb-log-file-size=16M --skip-log-bin --max-connections=500 {user} \
               >/dev/null 2>&1 & \
             mpid=$!; echo \"$mpid $({start_of})\" > {dir}/mariadbd.pid.new; \
             mv {dir}/mariadbd.pid.new {dir}/mariadbd.pid; {watch}",
            server = server.display(),
            dir = dir.display(),
            user = user.join(" "),
            start_of = process::start_time_of("$mpid"),
            watch = process::after_this_process(&format!(
                "kill -9 $mpid 2>/dev/null; wait $mpid; rm -rf {}",
                dir.display()
            )),
        );
        process::spawn_session_shell(&script)
            .map_err(|e| format!("cannot start mariadbd and its watchdog: {e}"))?;
        let server = MysqlServer {
            dir,
            next_database: AtomicUsize::new(0),
        };
        server.wait_until_ready()?;
        server
            .connect("root", "mysql")
            .batch_execute(&format!("CREATE USER '{APP_USER}'@'localhost'"))
            .map_err(|e| format!("cannot create {APP_USER}: {e}"))?;
        Ok(server)
    }

    fn wait_until_ready(&self) -> Result<(), String> {
        // Bounded, and generous: a loaded machine may take seconds to start it.
        process::wait_until(Duration::from_secs(60), || {
            if !self.socket().exists() || !self.dir.join("mariadbd.pid").exists() {
                return Err("no socket yet".to_owned());
            }
            MysqlConnection::establish(&self.url("root", "mysql"))
                .map(drop)
                .map_err(|e| e.to_string())
        })
        .map_err(|e| {
            let log = std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
            format!("mariadbd did not answer: {e}; its log:\n{log}")
        })
    }

    /// The server's run directory: its data directory, socket, log and the
    /// pid file the sweep of a later run reads (`mariadbd.pid`).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn socket(&self) -> PathBuf {
        self.dir.join("mysqld.sock")
    }

    /// A connection URL for `database` as `user`, over the unix socket.
    pub fn url(&self, user: &str, database: &str) -> String {
        format!(
            "mysql://{user}@localhost/{database}?unix_socket={}",
            self.socket().display()
        )
    }

    /// The same URL for diesel-async's `AsyncMysqlConnection`, whose driver
    /// names the socket `socket` (Diesel's names it `unix_socket`).
    pub fn async_url(&self, user: &str, database: &str) -> String {
        format!(
            "mysql://{user}@localhost/{database}?socket={}",
            self.socket().display()
        )
    }

    /// A connection to `database` as `user`.
    pub fn connect(&self, user: &str, database: &str) -> MysqlConnection {
        MysqlConnection::establish(&self.url(user, database))
            .unwrap_or_else(|e| panic!("cannot connect to {database} as {user}: {e}"))
    }

    /// A fresh database with the schema and the seed rows, whose rows the
    /// application's user may read and write; its name.
    pub fn create_database(&self) -> String {
        let name = format!(
            "test_{}",
            self.next_database.fetch_add(1, Ordering::Relaxed)
        );
        let mut root = self.connect("root", "mysql");
        root.batch_execute(&format!(
            "CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin; \
             GRANT SELECT, INSERT, UPDATE, DELETE ON {name}.* TO '{APP_USER}'@'localhost'; \
             USE {name}; {SCHEMA} {SEED_SQL}"
        ))
        .unwrap_or_else(|e| panic!("cannot create database {name}: {e}"));
        name
    }
}

/// `mariadb-install-db` (or `mysql_install_db`) and `mariadbd` (or `mysqld`):
/// from `MYSQL_BIN` if set, else PATH, else Debian's `/usr/bin` and `/usr/sbin`.
fn find_binaries() -> Result<(PathBuf, PathBuf), String> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Some(dir) = std::env::var_os("MYSQL_BIN") {
        dirs.push(PathBuf::from(dir));
    }
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    dirs.extend(["/usr/bin", "/usr/sbin"].map(PathBuf::from));
    let find = |names: &[&str]| -> Option<PathBuf> {
        dirs.iter()
            .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
            .find(|path| path.is_file())
    };
    let install_db = find(&["mariadb-install-db", "mysql_install_db"]);
    let server = find(&["mariadbd", "mysqld"]);
    match (install_db, server) {
        (Some(install_db), Some(server)) => Ok((install_db, server)),
        _ => Err(
            "no mariadb-install-db and mariadbd found (MYSQL_BIN, PATH, /usr/bin, /usr/sbin)"
                .into(),
        ),
    }
}

fn fail(reason: &str) -> ! {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    panic!(
        "cannot start the test MariaDB server: {reason}\n\
         The MySQL tests need MariaDB's server (`mariadb-install-db` and `mariadbd`, or \
         MYSQL_BIN=/dir/holding/them); install it with `apt-get install mariadb-server \
         libmariadb-dev libmariadb-dev-compat` (scripts/install-deps.sh does, and .ci/run runs it).{}",
        if ci {
            "\nCI=true: a missing MariaDB fails the run."
        } else {
            ""
        }
    )
}

/// The backend of this fixture.
pub type Backend = diesel::mysql::Mysql;

/// A fresh database on the shared server, with the schema and the seed rows.
pub struct TestDb {
    /// The application's connection, as `app_user`: wrap it in a `TenantConn`.
    pub app: MysqlConnection,
    /// `root`'s connection, which reads and resets around the library, to check
    /// what the application's statements did to every tenant.
    pub observer: MysqlConnection,
    /// The database's name.
    pub name: String,
    /// The account `app` is connected as: `app_user`, or one of its own
    /// ([`TestDb::with_own_user`]).
    pub user: String,
    /// What a `TenantConn` would set on a database with a wall (MySQL has none).
    pub setting: tenant_diesel::TenantSetting,
}

impl TestDb {
    /// Creates the database.
    pub fn new() -> Self {
        let server = MysqlServer::shared();
        let name = server.create_database();
        Self {
            app: server.connect(APP_USER, &name),
            observer: server.connect("root", &name),
            name,
            user: APP_USER.to_owned(),
            setting: tenant_diesel::TenantSetting::default(),
        }
    }

    /// Creates the database, and an account of its own for the application
    /// (`<database>_app`), with `SELECT, INSERT, UPDATE, DELETE` on this
    /// database only: `app_user` holds them on every test database of the
    /// process, and a test that grants the application more must not grant it
    /// to the other tests.
    pub fn with_own_user() -> Self {
        let server = MysqlServer::shared();
        let name = server.create_database();
        let user = format!("{name}_app");
        let mut observer = server.connect("root", &name);
        observer
            .batch_execute(&format!(
                "CREATE USER '{user}'@'localhost'; \
                 GRANT SELECT, INSERT, UPDATE, DELETE ON {name}.* TO '{user}'@'localhost'"
            ))
            .unwrap_or_else(|e| panic!("cannot create {user}: {e}"));
        Self {
            app: server.connect(&user, &name),
            observer,
            name,
            user,
            setting: tenant_diesel::TenantSetting::default(),
        }
    }

    /// Connects the application's account again: a default role set since
    /// is enabled from its next connection on.
    pub fn reconnect_app(&mut self) {
        self.app = MysqlServer::shared().connect(&self.user, &self.name);
    }

    /// A connection URL for this database as the application's user.
    pub fn url(&self) -> String {
        MysqlServer::shared().url(&self.user, &self.name)
    }

    /// A diesel-async connection URL for this database as the application's
    /// user.
    pub fn async_url(&self) -> String {
        MysqlServer::shared().async_url(&self.user, &self.name)
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
