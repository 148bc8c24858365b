//! The async tenant connection on the embedded default: diesel-async's
//! `SyncConnectionWrapper<SqliteConnection>`, owned and from a deadpool pool.

use diesel::result::Error as DieselError;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::AsyncConnection;
use tenant_diesel::async_conn::AsyncSqliteConnection;
use tenant_diesel::async_prelude::*;
use tenant_diesel_tests::sqlite::TestDb;
use tenant_diesel_tests::*;

async fn app_connection(db: &TestDb) -> AsyncSqliteConnection {
    AsyncSqliteConnection::establish(&db.url())
        .await
        .expect("open the SQLite file")
}

#[tokio::test]
async fn scoped_queries_run_on_the_async_sqlite_connection() {
    let mut db = TestDb::new();
    let ctx = ctx(CONTOSO);
    let mut conn = AsyncTenantConn::new(app_connection(&db).await, &ctx);

    let rows: Vec<Account> = Account::scoped(&ctx)
        .order(accounts::id)
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(rows.iter().map(|a| a.id).collect::<Vec<_>>(), [2, 4, 6]);
    let tampered = Account::scoped(&ctx)
        .find(1)
        .first::<Account>(&mut conn)
        .await;
    assert_eq!(tampered, Err(DieselError::NotFound));

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
        Account::scoped(&ctx).delete(1).execute(&mut conn).await,
        Ok(0),
        "another tenant's id deletes nothing"
    );
    let failed: Result<(), DieselError> = conn
        .transaction(async |tx| {
            Account::scoped(&ctx).delete(41).execute(tx).await?;
            Err(DieselError::RollbackTransaction)
        })
        .await;
    assert_eq!(failed, Err(DieselError::RollbackTransaction));
    drop(conn);
    let accounts = db.all_accounts();
    let hooli = accounts.iter().find(|a| a.id == 41).expect("rolled back");
    assert_eq!(hooli.tenant_id, CONTOSO);
    assert_eq!(accounts.len(), 7, "nothing of Acme's was deleted");
}

#[tokio::test]
async fn a_pooled_async_sqlite_connection_runs_scoped_queries() {
    use diesel_async::pooled_connection::deadpool::Pool;

    let db = TestDb::new();
    let manager = AsyncDieselConnectionManager::<AsyncSqliteConnection>::new(db.url());
    let pool = Pool::builder(manager).max_size(1).build().unwrap();
    for tenant in [ACME, CONTOSO] {
        let ctx = ctx(tenant);
        let mut conn = AsyncTenantConn::new(pool.get().await.unwrap(), &ctx);
        let count: i64 = Account::scoped(&ctx)
            .count()
            .get_result(&mut conn)
            .await
            .unwrap();
        assert_eq!(count, 3);
    }
}

tenant_diesel_tests::async_joins_suite!();
