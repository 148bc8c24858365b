//! A real PostgreSQL server for the tests, started by the tests themselves: a
//! temporary data directory made with the system's `initdb`, reached through a unix
//! socket in that directory, and stopped when the test process ends.
//!
//! One server per test binary; each test gets a fresh database copied from a
//! template that holds the schema, the generated row-level-security migration and
//! the seed rows. The application connects as `app_user`, which is neither a
//! superuser nor `BYPASSRLS` nor the owner of any table; `postgres` owns them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::Connection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use tenant_diesel::postgres::RlsMigrations;
use tenant_diesel::{AnyTenantId, TenantSetting, WallKey};

use crate::process::{self, RunDir};
use crate::{accounts, Account, SEED_SQL};

const SCHEMA: EmbeddedMigrations = embed_migrations!("migrations");

/// The role the application connects as.
pub const APP_ROLE: &str = "app_user";

/// The generated row-level-security migration of the test schema, with the
/// signed setting the connections use (so `verify_isolation` probes it).
pub fn rls_migrations() -> RlsMigrations {
    RlsMigrations::new("20240101000001")
        .setting(tenant_setting())
        .tenant_table::<crate::accounts::table>()
        .tenant_table::<crate::notes::table>()
        .tenant_table::<crate::comments::table>()
        .tenant_table::<crate::invoices::table>()
        .tenant_table::<crate::subscriptions::table>()
}

/// The key that signs the tenant on this test process's server: made at start,
/// installed in the template, so every test database holds it.
pub fn wall_key() -> &'static WallKey {
    static KEY: OnceLock<WallKey> = OnceLock::new();
    KEY.get_or_init(|| WallKey::generate().expect("the operating system's random source"))
}

/// What the application's connections set: the tenant, signed with [`wall_key`].
pub fn tenant_setting() -> TenantSetting {
    TenantSetting::default().signed_with(wall_key().clone())
}

/// A running server.
pub struct PgServer {
    socket_dir: PathBuf,
    next_database: AtomicUsize,
    /// `CREATE DATABASE .. TEMPLATE` fails while another copy of the template is
    /// being made, so copies are made one at a time.
    create_lock: Mutex<()>,
}

impl PgServer {
    /// The server of this test process, started on first use.
    ///
    /// Panics with the reason when PostgreSQL cannot be started (binaries missing,
    /// `initdb` failing): a missing server fails the tests, it never skips them.
    pub fn shared() -> &'static PgServer {
        static SERVER: OnceLock<Result<PgServer, String>> = OnceLock::new();
        match SERVER.get_or_init(PgServer::start) {
            Ok(server) => server,
            Err(reason) => panic!(
                "cannot start the test PostgreSQL server: {reason}\n\
                 If PostgreSQL is missing, install it with `apt-get install postgresql libpq-dev` \
                 (the README's test command does), or point PG_BIN at the directory holding initdb and pg_ctl."
            ),
        }
    }

    fn start() -> Result<PgServer, String> {
        let bin = find_bin_dir()?;
        let run_dir = RunDir::create("tenant-diesel-pg-")
            .map_err(|e| format!("cannot make a temporary directory: {e}"))?;
        let dir = run_dir.keep();
        let data = dir.join("data");
        let as_root = process::is_root();
        if as_root {
            // initdb and postgres refuse to run as root: the server runs as the
            // `postgres` system user, in a directory it owns.
            process::run(Command::new("chown").arg("-R").arg("postgres:").arg(&dir))?;
        }
        let tool = |name: &str| -> Command {
            let path = bin.join(name);
            if as_root {
                let mut command = Command::new("runuser");
                command.args(["-u", "postgres", "--"]).arg(path);
                command
            } else {
                Command::new(path)
            }
        };
        process::run(tool("initdb").arg("-D").arg(&data).args([
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ]))?;
        let options = format!(
            "-c listen_addresses='' -k {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            dir.display()
        );
        process::run(
            tool("pg_ctl")
                .arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(dir.join("server.log"))
                .args(["-o", &options, "-w", "start"]),
        )?;
        stop_when_done(&bin, &dir, &data, as_root)?;

        let server = PgServer {
            socket_dir: dir,
            next_database: AtomicUsize::new(0),
            create_lock: Mutex::new(()),
        };
        server.prepare_template()?;
        Ok(server)
    }

    /// A connection string for `database` as `user`, over the unix socket.
    pub fn url(&self, user: &str, database: &str) -> String {
        format!(
            "host={} port=5432 user={user} dbname={database}",
            self.socket_dir.display()
        )
    }

    /// A connection to `database` as `user`.
    pub fn connect(&self, user: &str, database: &str) -> PgConnection {
        PgConnection::establish(&self.url(user, database))
            .unwrap_or_else(|e| panic!("cannot connect to {database} as {user}: {e}"))
    }

    /// Creates the template database: schema, RLS, seed rows, grants.
    fn prepare_template(&self) -> Result<(), String> {
        let mut admin = PgConnection::establish(&self.url("postgres", "postgres"))
            .map_err(|e| format!("cannot connect to the new server: {e}"))?;
        // One statement per call: CREATE DATABASE cannot run in the implicit
        // transaction of a multi-statement string.
        for statement in [
            format!("CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS"),
            "CREATE DATABASE tenant_template".to_owned(),
        ] {
            admin.batch_execute(&statement).map_err(|e| e.to_string())?;
        }
        let mut template = PgConnection::establish(&self.url("postgres", "tenant_template"))
            .map_err(|e| e.to_string())?;
        template
            .run_pending_migrations(SCHEMA)
            .map_err(|e| format!("schema migration: {e}"))?;
        template
            .run_pending_migrations(rls_migrations())
            .map_err(|e| format!("row-level-security migration: {e}"))?;
        wall_key()
            .install(&mut template)
            .map_err(|e| format!("installing the wall key: {e}"))?;
        template
            .batch_execute(&format!(
                "{SEED_SQL}
                 GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE};"
            ))
            .map_err(|e| format!("seed: {e}"))?;
        Ok(())
    }

    /// A fresh database copied from the template; its name.
    pub fn create_database(&self) -> String {
        let name = format!(
            "test_{}",
            self.next_database.fetch_add(1, Ordering::Relaxed)
        );
        let _one_at_a_time = self.create_lock.lock().unwrap_or_else(|e| e.into_inner());
        self.connect("postgres", "postgres")
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE tenant_template"))
            .unwrap_or_else(|e| panic!("cannot create database {name}: {e}"));
        // A database's privileges are not copied from its template: every new
        // database grants TEMPORARY to PUBLIC, which lets raw SQL leave
        // temporary objects on a pooled connection.
        self.connect("postgres", "postgres")
            .batch_execute(&format!("REVOKE TEMPORARY ON DATABASE {name} FROM PUBLIC"))
            .unwrap_or_else(|e| panic!("cannot revoke TEMPORARY on {name}: {e}"));
        name
    }
}

fn find_bin_dir() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    if let Ok(output) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        if dir.join("initdb").exists() {
            return Ok(dir);
        }
    }
    // Debian keeps the server binaries out of PATH, one directory per version.
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
                .collect()
        })
        .unwrap_or_default();
    versions.retain(|dir| dir.join("initdb").exists());
    versions.sort();
    versions.pop().ok_or_else(|| {
        "no initdb found (PG_BIN, pg_config --bindir, /usr/lib/postgresql/*/bin)".into()
    })
}

/// Stops the server and removes its directory once this test process has ended,
/// however it ends: a static server has no destructor that would run. The same
/// stop is kept as `stop.sh`, for the sweep of a later run if even the watchdog
/// was killed.
fn stop_when_done(bin: &Path, dir: &Path, data: &Path, as_root: bool) -> Result<(), String> {
    let stop = format!(
        "{}{} -D {} -m immediate stop >/dev/null 2>&1",
        if as_root {
            "runuser -u postgres -- "
        } else {
            ""
        },
        bin.join("pg_ctl").display(),
        data.display()
    );
    std::fs::write(dir.join("stop.sh"), &stop)
        .map_err(|e| format!("cannot write the server's stop script: {e}"))?;
    process::spawn_watchdog(&format!("{stop}; rm -rf {}", dir.display()))
        .map_err(|e| format!("cannot start the server's watchdog: {e}"))
}

/// The backend of this fixture.
pub type Backend = diesel::pg::Pg;

/// A fresh database on the shared server, with the schema, row-level security and
/// the seed rows.
pub struct TestDb {
    /// The application's connection, as `app_user`: wrap it in a `TenantConn`.
    pub app: PgConnection,
    /// The tables' owner's connection, which reads and resets around the wall, to
    /// check what the application's statements did to every tenant.
    pub observer: PgConnection,
    /// The database's name.
    pub name: String,
    /// What the application's connections set (the signed tenant).
    pub setting: TenantSetting,
}

impl TestDb {
    /// Creates the database.
    pub fn new() -> Self {
        let server = PgServer::shared();
        let name = server.create_database();
        Self {
            app: server.connect(APP_ROLE, &name),
            observer: server.connect("postgres", &name),
            name,
            setting: tenant_setting(),
        }
    }

    /// Replaces the signed policies with ones that read the bare setting
    /// (`RlsMigrations::unsigned_tenant()`), and the connections' setting with
    /// an unsigned one: the wall without its signature, for controls and for
    /// the benchmark that prices the signature.
    pub fn use_unsigned_policies(&mut self) {
        use diesel_migrations::MigrationHarness;

        self.observer
            .revert_last_migration(rls_migrations())
            .expect("revert the signed migration");
        self.observer
            .run_pending_migrations(rls_migrations().unsigned_tenant())
            .expect("run the unsigned one");
        self.setting = TenantSetting::default();
    }

    /// Replaces the check every unit of work runs first
    /// (`tenant_wall.assert_clean_session()`) with one that checks nothing: the
    /// control of every pooled-connection attack, and the benchmark that prices
    /// the check.
    pub fn remove_session_check(&mut self) {
        self.observer
            .batch_execute(
                "CREATE OR REPLACE FUNCTION tenant_wall.assert_clean_session() RETURNS void \
                 LANGUAGE plpgsql AS $$ BEGIN END $$",
            )
            .expect("replace the session check");
    }

    /// Runs `sql` as the tables' owner (tables a test makes for itself), then
    /// puts each of `tables` behind the generated wall with this database's
    /// setting and grants the application's role its rows.
    pub fn wall_tables(&mut self, sql: &str, tables: &[tenant_diesel::postgres::RlsTable]) {
        self.observer.batch_execute(sql).expect("create the tables");
        for table in tables {
            for statement in tenant_diesel::postgres::rls_up_statements(table, &self.setting) {
                self.observer
                    .batch_execute(&statement)
                    .unwrap_or_else(|e| panic!("{statement}: {e}"));
            }
            self.observer
                .batch_execute(&format!(
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON {} TO {APP_ROLE}",
                    table.table()
                ))
                .expect("grant the application's role the table's rows");
        }
    }

    /// Raw SQL on the application's role, inside a unit of work whose tenant
    /// setting is `tenant` signed with the test key, as an attacker with raw
    /// SQL would send it: the rows it reached, or the database's refusal.
    pub fn raw_as(&mut self, tenant: impl Into<AnyTenantId>, sql: &str) -> Result<usize, String> {
        let signed = wall_key().signed_value(tenant, std::time::Duration::from_secs(30));
        self.raw_with_setting(&signed, sql)
    }

    /// [`raw_as`](Self::raw_as) with the setting's value as given (a bare id,
    /// a value signed for another kind of tenant).
    #[allow(clippy::disallowed_methods)] // raw SQL is the point
    pub fn raw_with_setting(&mut self, value: &str, sql: &str) -> Result<usize, String> {
        self.app
            .transaction(|conn| {
                diesel::RunQueryDsl::execute(
                    diesel::sql_query("SELECT set_config('app.tenant_id', $1, true)")
                        .bind::<diesel::sql_types::Text, _>(value),
                    conn,
                )?;
                diesel::RunQueryDsl::execute(diesel::sql_query(sql), conn)
            })
            .map_err(|e: diesel::result::Error| e.to_string())
    }

    /// Every account of every tenant, by id.
    pub fn all_accounts(&mut self) -> Vec<Account> {
        use diesel::QueryDsl;
        diesel::RunQueryDsl::load(accounts::table.order(accounts::id), &mut self.observer)
            .expect("read every account")
    }
}

impl Default for TestDb {
    fn default() -> Self {
        Self::new()
    }
}
