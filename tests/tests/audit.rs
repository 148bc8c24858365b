//! The audit log, read back from its own database: `#[audited]` actions, every
//! `AdminCtx` creation and query with its reason, and what a failed write does.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use diesel::sqlite::SqliteConnection;
use tenant_diesel::audit::{
    AuditConnection, AuditError, AuditEvent, AuditSink, Auditor, DieselAuditSink, TracingSink,
};
use tenant_diesel::prelude::*;
use tenant_diesel::{ActorId, AdminConn, AdminCtx, AdminError};
use tenant_diesel_tests::audit::FlakySink;
use tenant_diesel_tests::sqlite::TestDb;
use tenant_diesel_tests::{accounts, ctx, Account, ACME, CONTOSO};

/// The application's error: what an audited action returns.
#[derive(Debug)]
#[allow(dead_code)] // the fields are read through `Debug`
enum AppError {
    Db(diesel::result::Error),
    Audit(AuditError),
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        AppError::Db(e)
    }
}

impl From<AuditError> for AppError {
    fn from(e: AuditError) -> Self {
        AppError::Audit(e)
    }
}

/// An action as an application writes it: one attribute audits it.
#[tenant_diesel::audited(action = "select_account", target = account_id)]
fn select_account(
    ctx: &TenantCtx,
    audit: &Auditor,
    conn: &mut TenantConn<&mut SqliteConnection>,
    account_id: i64,
) -> Result<Option<Account>, AppError> {
    Ok(Account::scoped(ctx)
        .find(account_id)
        .first(conn)
        .optional()?)
}

/// The same, with the context and the auditor under other names and no target.
#[audited(action = "count_accounts", ctx = tenant, audit = auditor)]
fn count_accounts(
    tenant: &TenantCtx,
    auditor: Auditor,
    conn: &mut TenantConn<&mut SqliteConnection>,
    ran: &AtomicUsize,
) -> Result<i64, AppError> {
    ran.fetch_add(1, Ordering::Relaxed);
    Ok(Account::scoped(tenant).count().get_result(conn)?)
}

fn audit_db() -> (
    tempfile::TempDir,
    String,
    Arc<DieselAuditSink<SqliteConnection>>,
) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.db").display().to_string();
    let sink = Arc::new(DieselAuditSink::<SqliteConnection>::open(&path).unwrap());
    (dir, path, sink)
}

#[test]
fn an_audited_action_records_actor_tenant_action_and_target() {
    let (_dir, path, sink) = audit_db();
    let audit = Auditor::new(sink.clone());
    let mut db = TestDb::new();
    let acme = ctx(ACME);
    let mut conn = TenantConn::new(&mut db.app, &acme);
    let found = select_account(&acme, &audit, &mut conn, 3).unwrap();
    assert_eq!(found.map(|a| a.name).as_deref(), Some("Initech"));
    // Contoso's account 4 is not found, and the attempt is on the record.
    assert_eq!(select_account(&acme, &audit, &mut conn, 4).unwrap(), None);
    let ran = AtomicUsize::new(0);
    assert_eq!(
        count_accounts(&acme, audit.clone(), &mut conn, &ran).unwrap(),
        3
    );

    let events = sink.events().unwrap();
    let summary: Vec<_> = events
        .iter()
        .map(|e| {
            (
                e.actor.as_str(),
                e.tenant.and_then(|t| t.as_integer()),
                e.action.as_str(),
                e.target_id.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("test-user", Some(ACME), "select_account", Some("3")),
            ("test-user", Some(ACME), "select_account", Some("4")),
            ("test-user", Some(ACME), "count_accounts", None),
        ]
    );
    assert!(events.windows(2).all(|w| w[0].at <= w[1].at));

    // The log is in the database, not in the sink: a new connection reads it.
    let reopened = DieselAuditSink::<SqliteConnection>::open(&path).unwrap();
    assert_eq!(reopened.events().unwrap(), events);
}

#[test]
fn every_admin_context_and_query_is_recorded_with_its_reason() {
    let (_dir, _path, sink) = audit_db();
    let audit = Auditor::new(sink.clone());
    let mut db = TestDb::new();
    let staff = ActorId::new("support-7");
    let admin = AdminCtx::new("support: balances of every tenant", &staff, &audit).unwrap();
    let mut conn = AdminConn::new(&mut db.observer, &admin);
    let total: i64 = accounts::table.count().get_result(&mut conn).unwrap();
    assert_eq!(total, 6);
    conn.transaction(|tx| {
        diesel::update(accounts::table.filter(accounts::tenant_id.eq(CONTOSO)))
            .set(accounts::balance.eq(0))
            .execute(tx)
    })
    .unwrap();

    let events = sink.events().unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["admin.open", "admin.query", "admin.query"]);
    for event in &events {
        assert_eq!(event.actor, staff);
        assert_eq!(event.tenant, None);
        assert_eq!(
            event.detail.as_deref(),
            Some("support: balances of every tenant")
        );
    }
}

#[test]
fn a_failed_audit_write_fails_the_action_by_default() {
    let flaky = Arc::new(FlakySink::default());
    let audit = Auditor::new(flaky.clone());
    let staff = ActorId::new("support-7");
    let mut db = TestDb::new();

    flaky.set_down(true);
    let refused = AdminCtx::new("support: balances of every tenant", &staff, &audit);
    assert!(matches!(refused, Err(AdminError::Audit(_))), "{refused:?}");
    assert!(refused
        .unwrap_err()
        .to_string()
        .contains("the audit database is down"));

    flaky.set_down(false);
    let admin = AdminCtx::new("support: reset balances", &staff, &audit).unwrap();
    flaky.set_down(true);
    let mut conn = AdminConn::new(&mut db.observer, &admin);
    let update = diesel::update(accounts::table)
        .set(accounts::balance.eq(0))
        .execute(&mut conn);
    let error = update.unwrap_err().to_string();
    assert!(error.contains("cannot record the audit event"), "{error}");
    drop(conn);
    // The unaudited statement was never sent.
    assert!(db.all_accounts().iter().all(|a| a.balance != 0));

    let acme = ctx(ACME);
    let mut tenant_conn = TenantConn::new(&mut db.app, &acme);
    let ran = AtomicUsize::new(0);
    let result = count_accounts(&acme, audit.clone(), &mut tenant_conn, &ran);
    assert!(matches!(result, Err(AppError::Audit(_))), "{result:?}");
    assert_eq!(ran.load(Ordering::Relaxed), 0, "the body does not run");
}

#[test]
fn a_fail_open_auditor_lets_the_action_run() {
    let flaky = Arc::new(FlakySink::default());
    flaky.set_down(true);
    let audit = Auditor::new(flaky).fail_open();
    let mut db = TestDb::new();
    let acme = ctx(ACME);
    let mut conn = TenantConn::new(&mut db.app, &acme);
    let ran = AtomicUsize::new(0);
    // The lost event is reported through `tracing` at ERROR level.
    assert_eq!(count_accounts(&acme, audit, &mut conn, &ran).unwrap(), 3);
    assert_eq!(ran.load(Ordering::Relaxed), 1);
}

#[test]
fn the_tracing_sink_never_fails() {
    let acme = ctx(ACME);
    let audit = Auditor::new(TracingSink);
    audit
        .record_action(&acme, "export", Some(&"report-9"))
        .unwrap();
}

/// Records an action, an admin context and a denial in the audit database at
/// `url`, then reads them back through a second connection.
fn the_audit_log_round_trips<C: AuditConnection>(url: &str) {
    let sink = Arc::new(DieselAuditSink::<C>::open(url).unwrap());
    let audit = Auditor::new(sink.clone());
    let contoso = ctx(CONTOSO);
    audit
        .record_action(&contoso, "select_account", Some(&2))
        .unwrap();
    let staff = ActorId::new("support-7");
    let _admin = AdminCtx::new("support: one tenant's invoices", &staff, &audit).unwrap();
    let denial = tenant_diesel::audit::DenialAudit::event(
        "denied.unknown_tenant",
        None,
        None,
        Some("nope.localhost"),
        Some("192.0.2.7".parse().unwrap()),
    );
    sink.record(&denial).unwrap();

    let events = DieselAuditSink::<C>::open(url).unwrap().events().unwrap();
    assert_eq!(events, sink.events().unwrap());
    assert_eq!(events.len(), 3);
    assert_eq!(events[2], denial);
    assert_eq!(events[0].tenant.and_then(|t| t.as_integer()), Some(CONTOSO));
    assert_eq!(events[0].target_id.as_deref(), Some("2"));
    assert_eq!(events[1].action, "admin.open");
    assert_eq!(
        events[1].detail.as_deref(),
        Some("support: one tenant's invoices")
    );
}

#[test]
fn the_audit_log_on_postgresql() {
    use tenant_diesel_tests::postgres::PgServer;

    let server = PgServer::shared();
    let name = server.create_database();
    the_audit_log_round_trips::<diesel::pg::PgConnection>(&server.url("postgres", &name));
}

/// On MariaDB through Diesel's `MysqlConnection`, and through diesel-async's
/// driver behind its blocking wrapper (feature `async-mysql`, no C client),
/// each in a database of its own.
#[test]
fn the_audit_log_on_mysql_and_mariadb() {
    use tenant_diesel::audit::MysqlAuditConnection;
    use tenant_diesel_tests::mysql::MysqlServer;

    let server = MysqlServer::shared();
    let name = server.create_database();
    the_audit_log_round_trips::<diesel::mysql::MysqlConnection>(&server.url("root", &name));
    let name = server.create_database();
    the_audit_log_round_trips::<MysqlAuditConnection>(&server.async_url("root", &name));
}

#[test]
fn a_queued_auditor_writes_concurrent_actions_in_batches_to_a_wal_database() {
    use tenant_diesel::audit::QueueSettings;

    let (_dir, path, sink) = audit_db();
    let (audit, writer) = Auditor::queued(sink.clone(), QueueSettings::default()).unwrap();
    // One thread is enough for the actions to wait together: each awaits its
    // write while the others queue theirs.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let acme = ctx(ACME);
    runtime.block_on(async {
        let actions: Vec<_> = (0..200)
            .map(|n| {
                let (audit, acme) = (audit.clone(), acme.clone());
                tokio::spawn(async move {
                    audit
                        .record_action_async(&acme, "select_account", Some(&n))
                        .await
                })
            })
            .collect();
        for action in actions {
            action.await.unwrap().unwrap();
        }
    });
    drop(audit);
    writer.join().unwrap();

    // Durable: another connection reads all 200, each once.
    let reopened = DieselAuditSink::<SqliteConnection>::open(&path).unwrap();
    let mut targets: Vec<i64> = reopened
        .events()
        .unwrap()
        .iter()
        .map(|e| e.target_id.as_deref().unwrap().parse().unwrap())
        .collect();
    targets.sort_unstable();
    assert_eq!(targets, (0..200).collect::<Vec<_>>());
    // The log is kept in write-ahead mode: while a connection is open, its
    // journal is the `-wal` file beside the database.
    assert!(
        std::path::Path::new(&format!("{path}-wal")).exists(),
        "no write-ahead journal beside {path}"
    );
    drop(reopened);
}

#[test]
fn a_batch_is_written_whole_or_not_at_all() {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;

    let (_dir, path, sink) = audit_db();
    // The database refuses one event of the batch.
    SqliteConnection::establish(&path)
        .unwrap()
        .batch_execute(
            "CREATE TRIGGER refuse_poison BEFORE INSERT ON audit_events \
             WHEN NEW.action = 'poison' BEGIN SELECT RAISE(ABORT, 'refused'); END;",
        )
        .unwrap();
    let acme = ctx(ACME);
    let batch = [
        AuditEvent::for_tenant(&acme, "select_account"),
        AuditEvent::for_tenant(&acme, "poison"),
    ];
    assert!(sink.record_batch(&batch).is_err());
    assert!(
        sink.events().unwrap().is_empty(),
        "the event before the refused one was rolled back with it"
    );
    sink.record_batch(&batch[..1]).unwrap();
    assert_eq!(sink.events().unwrap().len(), 1);
}

#[test]
fn a_denial_keeps_its_host_and_client_address() {
    use tenant_diesel::audit::DenialAudit;

    let (_dir, _path, sink) = audit_db();
    let event = DenialAudit::event(
        "denied.not_a_member",
        Some(&ActorId::new("alice")),
        Some(tenant_diesel::TenantId::new(CONTOSO).erase()),
        Some("contoso.localhost:3000"),
        Some("2001:db8::7".parse().unwrap()),
    );
    sink.record(&event).unwrap();
    assert_eq!(sink.events().unwrap(), [event]);
}
