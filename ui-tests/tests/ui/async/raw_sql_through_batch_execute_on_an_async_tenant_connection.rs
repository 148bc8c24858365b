// Leak vector 4, async: diesel-async's `batch_execute` of raw SQL on an
// `AsyncTenantConn`.
use diesel_async::SimpleAsyncConnection;
use tenant_diesel::async_conn::AsyncSqliteConnection;
use tenant_diesel::async_prelude::*;
use tenant_diesel_ui_tests::acme;

async fn handler(raw: AsyncSqliteConnection) {
    let ctx = acme();
    let mut conn = AsyncTenantConn::new(raw, &ctx);
    SimpleAsyncConnection::batch_execute(&mut conn, "DELETE FROM accounts")
        .await
        .unwrap();
}

fn main() {
    let _ = handler;
}
