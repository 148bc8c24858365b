//! The async tenant connection on MariaDB: diesel-async's
//! `AsyncMysqlConnection`, owned and from its deadpool and bb8 pools, as the
//! application's user (rows of its database only). MySQL has no row-level
//! security: what these tests see is the library's own wall. The writes that
//! would give their rows back (`RETURNING`) do not compile here
//! (`ui-tests/mysql/tests/ui/async_*`).

use std::sync::Arc;

use diesel::result::Error as DieselError;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::{AsyncConnection, AsyncMysqlConnection};
use tenant_diesel::async_conn::AsyncAdminConn;
use tenant_diesel::async_prelude::*;
use tenant_diesel::audit::{Auditor, MemorySink};
use tenant_diesel::{ActorId, AdminCtx};
use tenant_diesel_tests::mysql::TestDb;
use tenant_diesel_tests::*;

async fn app_connection(db: &TestDb) -> AsyncMysqlConnection {
    AsyncMysqlConnection::establish(&db.async_url())
        .await
        .expect("connect to MariaDB as the application's user")
}

fn manager(db: &TestDb) -> AsyncDieselConnectionManager<AsyncMysqlConnection> {
    AsyncDieselConnectionManager::new(db.async_url())
}

#[tokio::test]
async fn scoped_reads_and_writes_see_only_the_tenant_of_the_context() {
    let mut db = TestDb::new();
    let ctx = ctx(CONTOSO);
    let mut conn = AsyncTenantConn::new(app_connection(&db).await, &ctx);

    let rows: Vec<Account> = Account::scoped(&ctx)
        .order(accounts::id)
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(rows.iter().map(|a| a.id).collect::<Vec<_>>(), [2, 4, 6]);
    // Account 1 is Acme's: not found, whatever the filter says.
    let tampered = Account::scoped(&ctx)
        .find(1)
        .first::<Account>(&mut conn)
        .await;
    assert_eq!(tampered, Err(DieselError::NotFound));
    assert_eq!(
        Account::scoped(&ctx)
            .find(1)
            .first::<Account>(&mut conn)
            .await
            .optional(),
        Ok(None)
    );

    assert_eq!(
        Account::scoped(&ctx)
            .insert(&NewAccount {
                id: 41,
                name: "Hooli".into(),
                balance: 1,
            })
            .execute(&mut conn)
            .await,
        Ok(1)
    );
    assert_eq!(
        Account::scoped(&ctx)
            .update(1)
            .set_column(accounts::balance, 0)
            .execute(&mut conn)
            .await,
        Ok(0),
        "another tenant's id changes nothing"
    );
    assert_eq!(
        Account::scoped(&ctx).delete(1).execute(&mut conn).await,
        Ok(0),
        "another tenant's id deletes nothing"
    );
    let count: i64 = Account::scoped(&ctx)
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(count, 4);
    drop(conn);
    let accounts = db.all_accounts();
    assert_eq!(accounts.len(), 7);
    let hooli = accounts.iter().find(|a| a.id == 41).expect("inserted");
    assert_eq!(
        hooli.tenant_id, CONTOSO,
        "stamped with the context's tenant"
    );
    let acme_one = accounts.iter().find(|a| a.id == 1).unwrap();
    assert_ne!(acme_one.balance, 0, "Acme's account was not touched");
}

/// A write gives no rows back on MySQL: it is `execute`, then a read through
/// the scope in the same transaction, which commits on `Ok` and rolls back on
/// `Err`.
#[tokio::test]
async fn a_transaction_commits_on_ok_and_rolls_back_on_err() {
    let mut db = TestDb::new();
    let ctx = ctx(ACME);
    let mut conn = AsyncTenantConn::new(app_connection(&db).await, &ctx);

    let written: Account = conn
        .transaction(async |tx| {
            Account::scoped(&ctx)
                .insert(&NewAccount {
                    id: 40,
                    name: "Hooli".into(),
                    balance: 9,
                })
                .execute(tx)
                .await?;
            Account::scoped(&ctx).find(40).first(tx).await
        })
        .await
        .unwrap();
    assert_eq!((written.id, written.tenant_id), (40, ACME));

    let failed: Result<(), DieselError> = conn
        .transaction(async |tx| {
            Account::scoped(&ctx).delete(40).execute(tx).await?;
            // A savepoint inside, rolled back on its own.
            let inner: Result<(), DieselError> = tx
                .transaction(async |inner| {
                    Account::scoped(&ctx).delete(1).execute(inner).await?;
                    Err(DieselError::RollbackTransaction)
                })
                .await;
            assert_eq!(inner, Err(DieselError::RollbackTransaction));
            Err(DieselError::RollbackTransaction)
        })
        .await;
    assert_eq!(failed, Err(DieselError::RollbackTransaction));
    drop(conn);
    let ids: Vec<i64> = db
        .all_accounts()
        .into_iter()
        .filter(|a| a.tenant_id == ACME)
        .map(|a| a.id)
        .collect();
    assert_eq!(ids, [1, 3, 5, 40], "both deletes were rolled back");
}

/// A row lock of the tenant's own rows, inside a transaction: MariaDB takes
/// `FOR UPDATE` and `LOCK IN SHARE MODE`; another tenant's row is not locked
/// because it is not read.
#[tokio::test]
async fn row_locks_run_on_the_async_connection() {
    let db = TestDb::new();
    let ctx = ctx(ACME);
    let mut conn = AsyncTenantConn::new(app_connection(&db).await, &ctx);
    let locked: Vec<i64> = conn
        .transaction(async |tx| {
            let mine: Vec<Account> = Account::scoped(&ctx)
                .filter(accounts::id.le(4))
                .order(accounts::id)
                .for_update()
                .load(tx)
                .await?;
            let shared: Vec<Account> = Account::scoped(&ctx).find(5).for_share().load(tx).await?;
            Ok::<_, DieselError>(mine.iter().chain(&shared).map(|a| a.id).collect())
        })
        .await
        .unwrap();
    assert_eq!(locked, [1, 3, 5]);
}

tenant_diesel_tests::async_joins_suite!();

/// One pooled connection handed to Acme and Contoso in turn, from each of
/// diesel-async's pools: each checkout sees its own tenant's rows only, after a
/// failed statement and after a unit of work dropped half-way.
#[tokio::test]
async fn a_pool_of_one_serves_each_tenant_its_own_rows() {
    use diesel_async::pooled_connection::{bb8, deadpool};

    let db = TestDb::new();
    let deadpool = deadpool::Pool::builder(manager(&db))
        .max_size(1)
        .build()
        .unwrap();
    for checkout in 0..12 {
        let tenant = if checkout % 2 == 0 { ACME } else { CONTOSO };
        let ctx = ctx(tenant);
        {
            let mut conn = AsyncTenantConn::new(deadpool.get().await.unwrap(), &ctx);
            match checkout % 4 {
                // A duplicate key fails inside the database.
                1 => {
                    let failed = Account::scoped(&ctx)
                        .insert(&NewAccount {
                            id: 2,
                            name: "duplicate".into(),
                            balance: 0,
                        })
                        .execute(&mut conn)
                        .await;
                    assert!(failed.is_err(), "{failed:?}");
                }
                // A transaction dropped after its first poll.
                3 => {
                    let mut unit =
                        Box::pin(conn.transaction(async |tx| {
                            Account::scoped(&ctx).delete(2).execute(tx).await
                        }));
                    let _ = futures_util::FutureExt::now_or_never(&mut unit);
                    drop(unit);
                }
                _ => {}
            }
        }
        let mut conn = AsyncTenantConn::new(deadpool.get().await.unwrap(), &ctx);
        let rows: Vec<Account> = Account::scoped(&ctx).load(&mut conn).await.unwrap();
        assert!(
            !rows.is_empty() && rows.iter().all(|row| row.tenant_id == tenant),
            "checkout {checkout}: {rows:?}"
        );
    }

    let bb8 = bb8::Pool::builder()
        .max_size(1)
        .build(manager(&db))
        .await
        .unwrap();
    for tenant in [ACME, CONTOSO, ACME] {
        let ctx = ctx(tenant);
        let mut conn = AsyncTenantConn::new(bb8.get().await.unwrap(), &ctx);
        let rows: Vec<Account> = Account::scoped(&ctx).load(&mut conn).await.unwrap();
        assert!(!rows.is_empty() && rows.iter().all(|row| row.tenant_id == tenant));
    }
}

/// The async escape hatch on MySQL: every tenant's rows, each query on the
/// record before it is sent.
#[tokio::test]
async fn an_admin_connection_reads_every_tenant_and_records_each_query() {
    let db = TestDb::new();
    let log = Arc::new(MemorySink::new());
    let audit = Auditor::new(log.clone());
    let staff = ActorId::new("support-7");
    let admin = AdminCtx::new_async("support: every tenant's accounts", &staff, &audit)
        .await
        .unwrap();
    let mut conn = AsyncAdminConn::new(app_connection(&db).await, &admin);
    let total: i64 = accounts::table.count().get_result(&mut conn).await.unwrap();
    assert_eq!(total, 6, "every tenant's accounts");
    let events = log.events();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["admin.open", "admin.query"]);
}
