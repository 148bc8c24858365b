// diesel-async's own `RunQueryDsl` on an async MySQL tenant connection: a
// query without the tenant's filter.
use diesel::{QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use tenant_diesel::async_conn::AsyncTenantConn;
use tenant_diesel_ui_tests_mysql::{accounts, acme, async_mysql_database, Account};

async fn everyone() {
    let ctx = acme();
    let mut conn = AsyncTenantConn::new(async_mysql_database().await, &ctx);
    let _: Vec<Account> = accounts::table.select(Account::as_select()).load(&mut conn).await.unwrap();
}

fn main() {
    let _ = everyone();
}
