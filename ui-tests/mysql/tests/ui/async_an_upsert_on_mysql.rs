// An upsert on an async MySQL connection: `ON DUPLICATE KEY UPDATE` fires on
// any unique key and takes no `WHERE`, so it could update another tenant's row.
use tenant_diesel::async_prelude::*;
use tenant_diesel_ui_tests_mysql::{
    accounts, acme, async_mysql_database, Account, AccountChanges, NewAccount,
};

async fn upsert() {
    let ctx = acme();
    let mut conn = AsyncTenantConn::new(async_mysql_database().await, &ctx);
    let row = NewAccount { id: 2, name: "Mine now".into() };
    let _ = Account::scoped(&ctx)
        .insert(&row)
        .on_conflict(accounts::id)
        .do_update()
        .set(&AccountChanges { name: "Mine now".into() })
        .execute(&mut conn)
        .await;
}

fn main() {
    let _ = upsert();
}
