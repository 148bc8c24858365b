use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, SecondsFormat, Utc};
use diesel::connection::Connection;
use diesel::result::QueryResult;
use tenant_core::audit::{AuditError, AuditEvent, AuditSink};
use tenant_core::{ActorId, AnyTenantId};

use super::schema::audit_events;

/// A row of `audit_events` as read back.
type Row = (
    i64,
    String,
    String,
    Option<i64>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// A Diesel connection the audit log can be kept on: SQLite (feature `sqlite`,
/// the default), PostgreSQL (feature `postgres`), MySQL or MariaDB (feature
/// `mysql`: `MysqlConnection`; feature `async-mysql`: [`MysqlAuditConnection`]).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold the audit log",
    label = "not an audit database connection",
    note = "open the audit database with `DieselAuditSink::<SqliteConnection>::open(\"audit.db\")` or, with the `postgres` feature, `DieselAuditSink::<PgConnection>::open(url)`"
)]
pub trait AuditConnection: Connection + Send + sealed::Sealed + 'static {
    /// Sets the connection up for the log (SQLite: write-ahead journal, durable
    /// commits), then creates or upgrades the audit table with this backend's
    /// embedded migrations.
    #[doc(hidden)]
    fn migrate(&mut self) -> Result<(), AuditError>;

    /// Appends `events`, all or none: one transaction, one durable commit.
    #[doc(hidden)]
    fn append(&mut self, events: &[AuditEvent]) -> QueryResult<()>;

    /// Every event, oldest first.
    #[doc(hidden)]
    fn load_all(&mut self) -> QueryResult<Vec<Row>>;
}

mod sealed {
    pub trait Sealed {}
}

/// Rows per insert statement: nine parameters each, under SQLite's default
/// limit of 32,766 and PostgreSQL's and MySQL's 65,535.
const ROWS_PER_STATEMENT: usize = 1000;

/// How `at` is stored: six fractional digits and a `Z`, always the same width,
/// so that the text sorts as the time does.
fn format_at(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

macro_rules! audit_connection {
    ($feature:literal, $conn:ty, $dir:literal, $setup:expr) => {
        #[cfg(feature = $feature)]
        const _: () = {
            use diesel::prelude::*;
            use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

            const MIGRATIONS: EmbeddedMigrations = embed_migrations!($dir);

            impl sealed::Sealed for $conn {}

            impl AuditConnection for $conn {
                fn migrate(&mut self) -> Result<(), AuditError> {
                    let setup: fn(&mut $conn) -> QueryResult<()> = $setup;
                    setup(self)
                        .map_err(|e| AuditError::new(format!("audit database set-up: {e}")))?;
                    self.run_pending_migrations(MIGRATIONS)
                        .map(drop)
                        .map_err(|e| AuditError::new(format!("audit migrations: {e}")))
                }

                fn append(&mut self, events: &[AuditEvent]) -> QueryResult<()> {
                    let rows: Vec<_> = events
                        .iter()
                        .map(|event| {
                            (
                                audit_events::at.eq(format_at(&event.at)),
                                audit_events::actor.eq(event.actor.as_str()),
                                audit_events::tenant_id.eq(integer_tenant(event.tenant)),
                                audit_events::tenant_uuid.eq(uuid_tenant(event.tenant)),
                                audit_events::action.eq(&event.action),
                                audit_events::target_id.eq(event.target_id.as_deref()),
                                audit_events::detail.eq(event.detail.as_deref()),
                                audit_events::host.eq(event.host.as_deref()),
                                audit_events::client_addr.eq(event.client.map(|c| c.to_string())),
                            )
                        })
                        .collect();
                    // One statement per batch (a multi-row insert is atomic on
                    // its own), in a transaction so that its commit is the one
                    // durable write; chunks keep under the bind-parameter limit.
                    self.transaction(|conn| {
                        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                            diesel::RunQueryDsl::execute(
                                diesel::insert_into(audit_events::table).values(chunk),
                                conn,
                            )?;
                        }
                        Ok(())
                    })
                }

                fn load_all(&mut self) -> QueryResult<Vec<Row>> {
                    diesel::RunQueryDsl::load(audit_events::table.order(audit_events::id), self)
                }
            }
        };
    };
}

// SQLite: a write-ahead journal, so that a commit is one append and one `fsync`
// of the journal (not of the database and a rollback journal) and readers do
// not stop the writer; `synchronous = FULL` keeps each commit durable, which is
// what an acknowledged audit event promises. A busy timeout lets another
// process's reader or writer finish instead of failing the batch.
audit_connection!(
    "sqlite",
    diesel::sqlite::SqliteConnection,
    "migrations/audit/sqlite",
    |conn| diesel::connection::SimpleConnection::batch_execute(
        conn,
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;"
    )
);
audit_connection!(
    "postgres",
    diesel::pg::PgConnection,
    "migrations/audit/postgres",
    |_| Ok(())
);
// MySQL and MariaDB: InnoDB commits durably by default
// (`innodb_flush_log_at_trx_commit = 1`), which is the server's setting, not
// the connection's.
audit_connection!(
    "mysql",
    diesel::mysql::MysqlConnection,
    "migrations/audit/mysql",
    |_| Ok(())
);
audit_connection!(
    "async-mysql",
    MysqlAuditConnection,
    "migrations/audit/mysql",
    |_| Ok(())
);

/// The audit database on MySQL or MariaDB without a C client library (feature
/// `async-mysql`): diesel-async's `AsyncMysqlConnection` behind its blocking
/// wrapper, for `DieselAuditSink::<MysqlAuditConnection>::open(url)`.
///
/// The wrapper runs each statement to completion on a tokio runtime: on its own
/// when opened outside one (open the sink on a thread of its own, as the
/// dashboard does, so that it never needs the application's), and on the
/// current runtime's handle when opened inside one. Either way, call
/// [`DieselAuditSink::events`] off the runtime's worker threads
/// (`tokio::task::spawn_blocking` or `block_in_place`); the queued auditor's
/// writer is a thread of its own already.
#[cfg(feature = "async-mysql")]
pub type MysqlAuditConnection = diesel_async::async_connection_wrapper::AsyncConnectionWrapper<
    diesel_async::AsyncMysqlConnection,
>;

/// Writes audit events to a database of their own, through Diesel: SQLite by
/// default, PostgreSQL with the `postgres` feature, MySQL or MariaDB with
/// `mysql` or `async-mysql`. Opening it runs its embedded
/// migrations (one table, `audit_events`).
///
/// Keep the audit database apart from the application's: a tenant connection
/// cannot reach it, and cross-tenant work cannot rewrite it.
///
/// ```
/// use diesel::sqlite::SqliteConnection;
/// use tenant_diesel::audit::{Auditor, DieselAuditSink};
///
/// # let ctx = tenant_core::doc_support::context("acme");
/// let sink = std::sync::Arc::new(DieselAuditSink::<SqliteConnection>::open(":memory:")?);
/// let audit = Auditor::new(sink.clone());
/// audit.record_action(&ctx, "select_account", Some(&3))?;
/// assert_eq!(sink.events()?[0].action, "select_account");
/// # Ok::<(), tenant_diesel::audit::AuditError>(())
/// ```
pub struct DieselAuditSink<C> {
    conn: Mutex<C>,
}

impl<C> std::fmt::Debug for DieselAuditSink<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DieselAuditSink").finish_non_exhaustive()
    }
}

impl<C: AuditConnection> DieselAuditSink<C> {
    /// Connects to the audit database at `url` and migrates it.
    pub fn open(url: &str) -> Result<Self, AuditError> {
        let conn = C::establish(url)
            .map_err(|e| AuditError::new(format!("cannot open the audit database: {e}")))?;
        Self::new(conn)
    }

    /// Keeps the audit log on `conn`, migrating it first.
    pub fn new(mut conn: C) -> Result<Self, AuditError> {
        conn.migrate()?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    /// Every event recorded in the audit database, oldest first.
    pub fn events(&self) -> Result<Vec<AuditEvent>, AuditError> {
        let rows = self.lock().load_all().map_err(AuditError::new)?;
        rows.into_iter().map(event_of).collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, C> {
        // A connection whose holder panicked is still a connection: every write
        // is one statement, committed or not.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The `tenant_id` column of an event: its tenant, if an integer.
fn integer_tenant(tenant: Option<AnyTenantId>) -> Option<i64> {
    match tenant? {
        AnyTenantId::Integer(id) => Some(id),
        _ => None,
    }
}

/// The `tenant_uuid` column of an event: its tenant, if a UUID.
fn uuid_tenant(tenant: Option<AnyTenantId>) -> Option<String> {
    tenant
        .filter(|id| !matches!(id, AnyTenantId::Integer(_)))
        .map(|id| id.to_string())
}

/// An event's tenant from its two columns, of which at most one is set.
fn tenant_of(
    integer: Option<i64>,
    uuid: Option<String>,
) -> Result<Option<AnyTenantId>, AuditError> {
    match (integer, uuid) {
        (None, None) => Ok(None),
        (Some(id), None) => Ok(Some(AnyTenantId::Integer(id))),
        (None, Some(text)) => AnyTenantId::parse_canonical(&text)
            .filter(|id| !matches!(id, AnyTenantId::Integer(_)))
            .map(Some)
            .ok_or_else(|| {
                AuditError::new(format!(
                    "the tenant `{text}` in the audit log is not a UUID this build reads (feature `uuid`)"
                ))
            }),
        (Some(id), Some(text)) => Err(AuditError::new(format!(
            "an audit event with two tenants, {id} and `{text}`"
        ))),
    }
}

fn event_of(
    (_, at, actor, tenant, action, target_id, detail, tenant_uuid, host, client): Row,
) -> Result<AuditEvent, AuditError> {
    let client = client
        .map(|text| {
            text.parse().map_err(|e| {
                AuditError::new(format!("bad client address `{text}` in the audit log: {e}"))
            })
        })
        .transpose()?;
    let at = DateTime::parse_from_rfc3339(&at)
        .map_err(|e| AuditError::new(format!("bad time `{at}` in the audit log: {e}")))?
        .with_timezone(&Utc);
    Ok(AuditEvent {
        at,
        actor: ActorId::new(actor),
        tenant: tenant_of(tenant, tenant_uuid)?,
        action,
        target_id,
        detail,
        host,
        client,
    })
}

impl<C: AuditConnection> AuditSink for DieselAuditSink<C> {
    fn record(&self, event: &AuditEvent) -> Result<(), AuditError> {
        self.record_batch(std::slice::from_ref(event))
    }

    /// One transaction: every event is written, or none is.
    fn record_batch(&self, events: &[AuditEvent]) -> Result<(), AuditError> {
        self.lock().append(events).map_err(AuditError::new)
    }
}
