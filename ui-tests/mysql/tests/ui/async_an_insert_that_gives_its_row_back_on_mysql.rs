// `get_result` of an insert on an async MySQL connection, which has no
// `RETURNING`.
use tenant_diesel::async_prelude::*;
use tenant_diesel_ui_tests_mysql::{acme, async_mysql_database, Account, NewAccount};

async fn insert() {
    let ctx = acme();
    let mut conn = AsyncTenantConn::new(async_mysql_database().await, &ctx);
    let row = NewAccount { id: 3, name: "Hooli".into() };
    let _: Account = Account::scoped(&ctx)
        .insert(&row)
        .get_result(&mut conn)
        .await
        .unwrap();
}

fn main() {
    let _ = insert();
}
