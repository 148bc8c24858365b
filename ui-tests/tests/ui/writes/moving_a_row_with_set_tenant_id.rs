// Leak vector 9: `UPDATE .. SET tenant_id = 2` moves the row to another tenant.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, Account};

fn main() {
    let _ = Account::scoped(&acme()).update(1).set(accounts::tenant_id.eq(2));
}
