// Leak vector 1, async: diesel-async's own `RunQueryDsl`, named directly, on an
// `AsyncTenantConn`.
use tenant_diesel::async_conn::AsyncSqliteConnection;
use tenant_diesel_ui_tests::{accounts, acme, Account};

async fn handler(raw: AsyncSqliteConnection) {
    let ctx = acme();
    let mut conn = tenant_diesel::async_conn::AsyncTenantConn::new(raw, &ctx);
    let _: Vec<Account> = diesel_async::RunQueryDsl::load(accounts::table, &mut conn)
        .await
        .unwrap();
}

fn main() {
    let _ = handler;
}
