// Leak vector 5: a plain Diesel join carries neither table's tenant filter.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, database, invoices};

fn main() {
    let mut raw = database();
    let mut conn = TenantConn::new(&mut raw, &acme());
    let _: QueryResult<Vec<(i64, String)>> = invoices::table
        .inner_join(accounts::table)
        .select((invoices::id, accounts::name))
        .load(&mut conn);
}
