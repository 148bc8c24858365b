// `FOR UPDATE` on SQLite, which has no row locks.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{acme, database, Account};

fn main() {
    let ctx = acme();
    let mut raw = database();
    let mut conn = TenantConn::new(&mut raw, &ctx);
    let _: Vec<Account> = Account::scoped(&ctx).for_update().load(&mut conn).unwrap();
}
