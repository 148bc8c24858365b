// A correlated query names a table it does not read from: it runs only as a
// subquery.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, database, invoices, Invoice};

fn main() {
    let mut raw = database();
    let mut conn = TenantConn::new(&mut raw, &acme());
    let _: Vec<i64> = Invoice::scoped(&acme())
        .correlated::<accounts::table>()
        .filter(invoices::account_id.eq(accounts::id))
        .select(invoices::id)
        .load(&mut conn)
        .unwrap();
}
