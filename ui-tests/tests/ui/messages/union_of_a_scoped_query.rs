// Class 8: a `UNION` brings in a query the tenant filter never reaches.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, Account};

fn main() {
    let _ = Account::scoped(&acme()).union(accounts::table);
}
