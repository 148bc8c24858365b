//! The async escape hatch: `AdminCtx::new_async` and `AsyncAdminConn`, on the
//! embedded default and on PostgreSQL behind row-level security. Each query is
//! on the record before it is sent, and a failed write refuses it.

use std::sync::Arc;

use diesel::result::Error as DieselError;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use tenant_diesel::async_conn::{AsyncAdminConn, AsyncSqliteConnection};
use tenant_diesel::async_prelude::*;
use tenant_diesel::audit::{Auditor, MemorySink, QueueSettings};
use tenant_diesel::{ActorId, AdminCtx, AdminError};
use tenant_diesel_tests::audit::FlakySink;
use tenant_diesel_tests::postgres::{self, PgServer, APP_ROLE};
use tenant_diesel_tests::sqlite::TestDb;
use tenant_diesel_tests::*;

const REASON: &str = "support: balances of every tenant";

async fn sqlite(db: &TestDb) -> AsyncSqliteConnection {
    AsyncSqliteConnection::establish(&db.url())
        .await
        .expect("open the SQLite file")
}

#[tokio::test]
async fn each_query_is_recorded_with_the_reason_and_a_transaction_rolls_back_on_err() {
    let db = TestDb::new();
    let log = Arc::new(MemorySink::new());
    // Through a queue, as an async service keeps its audit log.
    let (audit, writer) = Auditor::queued(log.clone(), QueueSettings::default()).unwrap();
    let staff = ActorId::new("support-7");
    let admin = AdminCtx::new_async(REASON, &staff, &audit).await.unwrap();
    let mut conn = AsyncAdminConn::new(sqlite(&db).await, &admin);

    let total: i64 = accounts::table.count().get_result(&mut conn).await.unwrap();
    assert_eq!(total, 6, "every tenant's accounts");
    let failed: Result<(), DieselError> = conn
        .transaction(async |tx| {
            diesel::update(accounts::table)
                .set(accounts::balance.eq(0))
                .execute(tx)
                .await?;
            Err(DieselError::RollbackTransaction)
        })
        .await;
    assert_eq!(failed, Err(DieselError::RollbackTransaction));
    let zeroed: i64 = accounts::table
        .filter(accounts::balance.eq(0))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(zeroed, 0, "the update was rolled back");
    assert_eq!(conn.admin().reason(), REASON);
    // The writer stops when the last auditor is gone, the context's included.
    drop((conn, admin, audit));
    writer.join().unwrap();

    let events = log.events();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["admin.open", "admin.query", "admin.query", "admin.query"]
    );
    for event in &events {
        assert_eq!(event.actor, staff);
        assert_eq!(event.tenant, None);
        assert_eq!(event.detail.as_deref(), Some(REASON));
    }
}

#[tokio::test]
async fn a_failed_audit_write_refuses_the_context_and_the_query_which_is_never_sent() {
    let mut db = TestDb::new();
    let flaky = Arc::new(FlakySink::default());
    let audit = Auditor::new(flaky.clone());
    let staff = ActorId::new("support-7");

    flaky.set_down(true);
    let refused = AdminCtx::new_async(REASON, &staff, &audit).await;
    assert!(matches!(refused, Err(AdminError::Audit(_))), "{refused:?}");

    flaky.set_down(false);
    let admin = AdminCtx::new_async("support: reset balances", &staff, &audit)
        .await
        .unwrap();
    flaky.set_down(true);
    let mut conn = AsyncAdminConn::new(sqlite(&db).await, &admin);
    let update = diesel::update(accounts::table)
        .set(accounts::balance.eq(0))
        .execute(&mut conn)
        .await;
    let error = update.unwrap_err().to_string();
    assert!(error.contains("cannot record the audit event"), "{error}");
    drop(conn);
    assert!(
        db.all_accounts().iter().all(|a| a.balance != 0),
        "the unaudited statement was never sent"
    );
}

#[tokio::test]
async fn an_async_admin_context_needs_a_reason() {
    let log = Arc::new(MemorySink::new());
    let audit = Auditor::new(log.clone());
    let staff = ActorId::new("support-7");
    assert!(matches!(
        AdminCtx::new_async(" \t", &staff, &audit).await,
        Err(AdminError::MissingReason)
    ));
    assert!(log.events().is_empty(), "a refused context opens nothing");
}

#[tokio::test]
async fn on_postgresql_it_reads_across_tenants_only_as_a_role_the_policies_let_through() {
    let db = postgres::TestDb::new();
    let server = PgServer::shared();
    let log = Arc::new(MemorySink::new());
    let audit = Auditor::new(log.clone());
    let staff = ActorId::new("support-7");
    let admin = AdminCtx::new_async(REASON, &staff, &audit).await.unwrap();

    // The tables' owner: the policies let it through.
    let owner = AsyncPgConnection::establish(&server.url("postgres", &db.name))
        .await
        .unwrap();
    let mut conn = AsyncAdminConn::new(owner, &admin);
    let counts: Vec<(i64, i64)> = accounts::table
        .group_by(accounts::tenant_id)
        .select((accounts::tenant_id, diesel::dsl::count_star()))
        .order(accounts::tenant_id)
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(counts, [(ACME, 3), (CONTOSO, 3)]);

    // The application's role is still behind the wall: an admin context does
    // not lift row-level security, it only lets the query be written.
    let app = AsyncPgConnection::establish(&server.url(APP_ROLE, &db.name))
        .await
        .unwrap();
    let mut conn = AsyncAdminConn::new(app, &admin);
    let seen: i64 = accounts::table.count().get_result(&mut conn).await.unwrap();
    assert_eq!(seen, 0, "the application's role sees no tenant's rows");

    let actions: Vec<String> = log.events().into_iter().map(|e| e.action).collect();
    assert_eq!(actions, ["admin.open", "admin.query", "admin.query"]);
}
