// Leak vector 1, async: a raw Diesel query run with the async prelude on an
// `AsyncTenantConn` reads every tenant's accounts.
use tenant_diesel::async_conn::AsyncSqliteConnection;
use tenant_diesel::async_prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, Account};

async fn handler(raw: AsyncSqliteConnection) {
    let ctx = acme();
    let mut conn = AsyncTenantConn::new(raw, &ctx);
    let _: Vec<Account> = accounts::table.load(&mut conn).await.unwrap();
}

fn main() {
    let _ = handler;
}
