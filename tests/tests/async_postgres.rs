//! The async tenant connection on a real PostgreSQL behind row-level security:
//! diesel-async's `AsyncPgConnection`, owned and pooled (deadpool, bb8), as the
//! application role.
#![allow(clippy::disallowed_methods)] // the controls read the setting with raw SQL

use std::sync::{Arc, Mutex};

use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::result::Error as DieselError;
use diesel::sql_types::Text;
use diesel::QueryableByName;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use tenant_diesel::async_prelude::*;
use tenant_diesel::TenantMismatch;
use tenant_diesel_tests::postgres::{tenant_setting, PgServer, TestDb, APP_ROLE};
use tenant_diesel_tests::*;

async fn app_connection(db: &TestDb) -> AsyncPgConnection {
    AsyncPgConnection::establish(&PgServer::shared().url(APP_ROLE, &db.name))
        .await
        .expect("connect as the application role")
}

/// What the connection sent, in order: `start` when a statement is sent, `end`
/// when its answer is in.
fn record(conn: &mut AsyncPgConnection) -> Arc<Mutex<Vec<String>>> {
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&log);
    let recorder = move |event: InstrumentationEvent<'_>| match event {
        InstrumentationEvent::StartQuery { query, .. } => {
            sink.lock().unwrap().push(format!("start {query}"))
        }
        InstrumentationEvent::FinishQuery { query, .. } => {
            sink.lock().unwrap().push(format!("end {query}"))
        }
        _ => {}
    };
    conn.set_instrumentation(Box::new(recorder) as Box<dyn Instrumentation>);
    log
}

#[derive(QueryableByName)]
struct Setting {
    #[diesel(sql_type = Text)]
    value: String,
}

/// The tenant setting a raw connection carries, outside any unit of work.
async fn current_setting(conn: &mut AsyncPgConnection) -> String {
    diesel_async::RunQueryDsl::get_result::<Setting>(
        diesel::sql_query("SELECT COALESCE(current_setting('app.tenant_id', true), '') AS value"),
        conn,
    )
    .await
    .unwrap()
    .value
}

#[tokio::test]
async fn scoped_reads_and_writes_see_only_the_tenant_of_the_context() {
    let db = TestDb::new();
    let ctx = ctx(ACME);
    let mut conn = AsyncTenantConn::with_setting(app_connection(&db).await, &ctx, tenant_setting());

    let rows: Vec<Account> = Account::scoped(&ctx).load(&mut conn).await.unwrap();
    assert_eq!(rows.iter().map(|a| a.id).collect::<Vec<_>>(), [1, 3, 5]);
    let own: Account = Account::scoped(&ctx)
        .find(3)
        .first(&mut conn)
        .await
        .unwrap();
    assert_eq!(own.tenant_id, ACME);
    // Account 4 is Contoso's: not found, whatever the filter says.
    let tampered = Account::scoped(&ctx)
        .find(4)
        .first::<Account>(&mut conn)
        .await;
    assert_eq!(tampered, Err(DieselError::NotFound));
    assert_eq!(
        Account::scoped(&ctx)
            .find(4)
            .first::<Account>(&mut conn)
            .await
            .optional(),
        Ok(None)
    );

    let inserted: Account = Account::scoped(&ctx)
        .insert(NewAccount {
            id: 40,
            name: "Hooli".into(),
            balance: 9,
        })
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(inserted.tenant_id, ACME);
    assert_eq!(
        Account::scoped(&ctx)
            .update(4)
            .set_column(accounts::balance, 0)
            .execute(&mut conn)
            .await,
        Ok(0),
        "another tenant's id changes nothing"
    );
    assert_eq!(
        Account::scoped(&ctx).delete(40).execute(&mut conn).await,
        Ok(1)
    );
    let count: i64 = Account::scoped(&ctx)
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(count, 3);
}

#[tokio::test]
async fn a_query_built_for_another_tenant_is_refused_before_any_sql_is_sent() {
    let db = TestDb::new();
    let (acme, contoso) = (ctx(ACME), ctx(CONTOSO));
    let mut raw = app_connection(&db).await;
    let sent = record(&mut raw);
    let mut conn = AsyncTenantConn::with_setting(&mut raw, &contoso, tenant_setting());
    let refused = Account::scoped(&acme).load::<Account>(&mut conn).await;
    assert!(
        matches!(&refused, Err(DieselError::QueryBuilderError(e))
        if e.downcast_ref::<TenantMismatch>() == Some(&TenantMismatch {
            query: tenant_diesel::AnyTenantId::Integer(ACME),
            connection: tenant_diesel::AnyTenantId::Integer(CONTOSO),
        })),
        "{refused:?}"
    );
    assert!(
        sent.lock().unwrap().is_empty(),
        "{:?}",
        sent.lock().unwrap()
    );
}

/// The round trips of a unit of work, pinned: the opening batch and the
/// statement are both sent before either answer is in (one network wait), then
/// `COMMIT`; a transaction opens once for all of its statements.
#[tokio::test]
async fn a_unit_of_work_pipelines_its_opening_with_its_statement() {
    let db = TestDb::new();
    let ctx = ctx(ACME);
    let mut raw = app_connection(&db).await;
    let sent = record(&mut raw);
    let mut conn = AsyncTenantConn::with_setting(&mut raw, &ctx, tenant_setting());
    // The opening batch, up to the signed tenant (whose expiry moves).
    let open = "BEGIN; SELECT tenant_wall.assert_clean_session(); \
                SET LOCAL citus.propagate_set_commands = 'local'; \
                SET LOCAL search_path = \"public\", pg_temp; SET LOCAL app.tenant_id = 'v1:1:";

    for _ in 0..2 {
        let _: Vec<Account> = Account::scoped(&ctx).load(&mut conn).await.unwrap();
        let events = std::mem::take(&mut *sent.lock().unwrap());
        assert_eq!(events.len(), 6, "{events:#?}");
        assert!(
            events[0].starts_with(&format!("start {open}")),
            "{events:#?}"
        );
        assert!(events[1].starts_with("start SELECT"), "{events:#?}");
        assert!(
            events[2..4]
                .iter()
                .any(|e| e.starts_with(&format!("end {open}")))
                && events[2..4].iter().any(|e| e.starts_with("end SELECT")),
            "both answers come after both sends: {events:#?}"
        );
        assert_eq!(
            events[4..],
            ["start COMMIT".to_owned(), "end COMMIT".to_owned()]
        );
    }

    conn.transaction(async |tx| {
        for _ in 0..3 {
            let _: i64 = Account::scoped(&ctx).count().get_result(tx).await?;
        }
        Ok::<_, DieselError>(())
    })
    .await
    .unwrap();
    let starts: Vec<String> = std::mem::take(&mut *sent.lock().unwrap())
        .into_iter()
        .filter(|e| e.starts_with("start"))
        .collect();
    assert_eq!(starts.len(), 5, "{starts:#?}");
    assert!(
        starts[0].starts_with(&format!("start {open}")),
        "{starts:#?}"
    );
    assert_eq!(starts[4], "start COMMIT");
}

#[tokio::test]
async fn a_transaction_commits_on_ok_and_rolls_back_on_err() {
    let db = TestDb::new();
    let ctx = ctx(CONTOSO);
    let mut conn = AsyncTenantConn::with_setting(app_connection(&db).await, &ctx, tenant_setting());
    let failed: Result<(), DieselError> = conn
        .transaction(async |tx| {
            Account::scoped(&ctx)
                .update(2)
                .set_column(accounts::balance, 0)
                .execute(tx)
                .await?;
            Err(DieselError::RollbackTransaction)
        })
        .await;
    assert_eq!(failed, Err(DieselError::RollbackTransaction));
    let kept: Account = Account::scoped(&ctx)
        .find(2)
        .first(&mut conn)
        .await
        .unwrap();
    assert_ne!(kept.balance, 0, "rolled back");

    conn.transaction(async |tx| {
        Account::scoped(&ctx)
            .update(2)
            .set_column(accounts::balance, 0)
            .execute(tx)
            .await
    })
    .await
    .unwrap();
    let changed: Account = Account::scoped(&ctx)
        .find(2)
        .first(&mut conn)
        .await
        .unwrap();
    assert_eq!(changed.balance, 0, "committed");
}

/// A pool of one connection, handed to Acme and Contoso in turn: no checkout
/// sees the other tenant's rows or setting, after a failed statement, and after
/// a unit of work dropped half-way (a cancelled request).
#[tokio::test]
async fn a_deadpool_pool_of_one_never_carries_a_tenant_to_the_next_checkout() {
    use diesel_async::pooled_connection::deadpool::Pool;

    let db = TestDb::new();
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(
        PgServer::shared().url(APP_ROLE, &db.name),
    );
    let pool = Pool::builder(manager).max_size(1).build().unwrap();

    // Control: a session-level SET does reach the next checkout.
    diesel_async::SimpleAsyncConnection::batch_execute(
        &mut *pool.get().await.unwrap(),
        "SET app.tenant_id = '1'",
    )
    .await
    .unwrap();
    assert_eq!(current_setting(&mut pool.get().await.unwrap()).await, "1");
    diesel_async::SimpleAsyncConnection::batch_execute(
        &mut *pool.get().await.unwrap(),
        "RESET app.tenant_id",
    )
    .await
    .unwrap();

    for checkout in 0..60 {
        let tenant = if checkout % 2 == 0 { ACME } else { CONTOSO };
        let ctx = ctx(tenant);
        {
            let mut conn =
                AsyncTenantConn::with_setting(pool.get().await.unwrap(), &ctx, tenant_setting());
            match checkout % 6 {
                // A statement that fails inside the database.
                1 => {
                    // Contoso's own account 2: the key is (tenant_id, id).
                    let failed = Account::scoped(&ctx)
                        .insert(NewAccount {
                            id: 2,
                            name: "duplicate".into(),
                            balance: 0,
                        })
                        .execute(&mut conn)
                        .await;
                    assert!(failed.is_err(), "{failed:?}");
                }
                // A unit of work dropped after its first poll: the opening
                // batch and the statement are on the wire, no COMMIT.
                3 => {
                    let mut unit = Box::pin(Account::scoped(&ctx).load::<Account>(&mut conn));
                    assert!(
                        futures_util::FutureExt::now_or_never(&mut unit).is_none(),
                        "the unit of work was not cut short"
                    );
                    drop(unit);
                }
                _ => {}
            }
        }
        // The next checkout, raw (as the code that reads shared tables gets it),
        // carries nothing: not the setting, not an open transaction.
        assert_eq!(
            current_setting(&mut pool.get().await.unwrap()).await,
            "",
            "checkout {checkout} left a tenant on the connection"
        );
        let mut conn =
            AsyncTenantConn::with_setting(pool.get().await.unwrap(), &ctx, tenant_setting());
        let rows: Vec<Account> = Account::scoped(&ctx).load(&mut conn).await.unwrap();
        assert_eq!(rows.len(), 3, "checkout {checkout}");
        assert!(rows.iter().all(|row| row.tenant_id == tenant), "{rows:?}");
    }
}

#[tokio::test]
async fn a_bb8_pooled_connection_runs_scoped_queries() {
    use diesel_async::pooled_connection::bb8::Pool;

    let db = TestDb::new();
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(
        PgServer::shared().url(APP_ROLE, &db.name),
    );
    let pool = Pool::builder().max_size(1).build(manager).await.unwrap();
    for tenant in [ACME, CONTOSO, ACME] {
        let ctx = ctx(tenant);
        let mut conn =
            AsyncTenantConn::with_setting(pool.get().await.unwrap(), &ctx, tenant_setting());
        let rows: Vec<Account> = Account::scoped(&ctx).load(&mut conn).await.unwrap();
        assert!(rows.len() == 3 && rows.iter().all(|row| row.tenant_id == tenant));
    }
    assert_eq!(current_setting(&mut pool.get().await.unwrap()).await, "");
}

#[tokio::test]
async fn an_upsert_runs_on_the_async_connection_and_updates_the_tenants_own_row() {
    let mut db = TestDb::new();
    let ctx = ctx(ACME);
    let mut conn = AsyncTenantConn::with_setting(app_connection(&db).await, &ctx, tenant_setting());
    let globex = |name: &str| NewAccount {
        id: 1,
        name: name.into(),
        balance: 100,
    };

    // Account 1 is Acme's: renamed and returned.
    let renamed: Account = Account::scoped(&ctx)
        .insert(globex("unused"))
        .on_conflict((accounts::tenant_id, accounts::id))
        .do_update()
        .set_excluded(accounts::name)
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(renamed.name, "unused");
    let kept = Account::scoped(&ctx)
        .insert(globex("ignored"))
        .on_conflict((accounts::tenant_id, accounts::id))
        .do_nothing()
        .execute(&mut conn)
        .await;
    assert_eq!(kept, Ok(0));
    let changes = AccountChanges {
        name: Some("Globex (Acme)".into()),
        balance: None,
    };
    let renamed: Account = conn
        .transaction(async |tx| {
            Account::scoped(&ctx)
                .insert(globex("unused"))
                .on_conflict((accounts::tenant_id, accounts::id))
                .do_update()
                .set(&changes)
                .get_result(tx)
                .await
        })
        .await
        .unwrap();
    assert_eq!(
        (renamed.tenant_id, renamed.name.as_str()),
        (ACME, "Globex (Acme)")
    );
    drop(conn);
    let contoso: Vec<_> = db
        .all_accounts()
        .into_iter()
        .filter(|a| a.tenant_id == CONTOSO)
        .map(|a| a.name)
        .collect();
    assert_eq!(contoso, ["Globex", "Initech", "Contoso Cables"]);
}
