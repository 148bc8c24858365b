// Leak vector 4: raw SQL has no tenant filter the types could check.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{acme, database};

fn main() {
    let mut raw = database();
    let mut conn = TenantConn::new(&mut raw, &acme());
    let _ = diesel::sql_query("DELETE FROM accounts").execute(&mut conn);
}
