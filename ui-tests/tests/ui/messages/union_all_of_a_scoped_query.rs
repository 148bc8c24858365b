// Class 8: `UNION ALL` likewise.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, Account};

fn main() {
    let _ = Account::scoped(&acme()).union_all(accounts::table);
}
