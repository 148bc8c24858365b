// Raw SQL on an async MySQL tenant connection, through the library's prelude.
use tenant_diesel::async_prelude::*;
use tenant_diesel_ui_tests_mysql::{acme, async_mysql_database};

async fn raw() {
    let ctx = acme();
    let mut conn = AsyncTenantConn::new(async_mysql_database().await, &ctx);
    let _ = diesel::sql_query("SELECT * FROM accounts").execute(&mut conn).await;
}

fn main() {
    let _ = raw();
}
