// A raw Diesel write statement carries no tenant filter the types could check.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, database};

fn main() {
    let mut raw = database();
    let mut conn = TenantConn::new(&mut raw, &acme());
    let _ = diesel::insert_into(accounts::table).values((accounts::id.eq(9), accounts::tenant_id.eq(2), accounts::name.eq("x"))).execute(&mut conn);
}
