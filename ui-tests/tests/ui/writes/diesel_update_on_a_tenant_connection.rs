// A raw Diesel write statement carries no tenant filter the types could check.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, database};

fn main() {
    let mut raw = database();
    let mut conn = TenantConn::new(&mut raw, &acme());
    let _ = diesel::update(accounts::table.find(2)).set(accounts::name.eq("taken")).execute(&mut conn);
}
