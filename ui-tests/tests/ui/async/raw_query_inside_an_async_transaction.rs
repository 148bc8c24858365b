// Leak vector 1, async: the connection an async transaction hands its closure
// is a tenant connection too; a raw query on it does not compile.
use tenant_diesel::async_conn::AsyncSqliteConnection;
use tenant_diesel::async_prelude::*;
use tenant_diesel_ui_tests::{accounts, acme};

async fn handler(raw: AsyncSqliteConnection) {
    let ctx = acme();
    let mut conn = AsyncTenantConn::new(raw, &ctx);
    let _ = conn
        .transaction(async |tx| diesel::delete(accounts::table).execute(tx).await)
        .await;
}

fn main() {
    let _ = handler;
}
