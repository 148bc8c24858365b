// `load` of a delete on an async MySQL connection, which has no `RETURNING`.
use tenant_diesel::async_prelude::*;
use tenant_diesel_ui_tests_mysql::{acme, async_mysql_database, Account};

async fn delete() {
    let ctx = acme();
    let mut conn = AsyncTenantConn::new(async_mysql_database().await, &ctx);
    let _: Vec<Account> = Account::scoped(&ctx).delete(3).load(&mut conn).await.unwrap();
}

fn main() {
    let _ = delete();
}
