// A scoped query cannot be combined into a raw one, even as its subquery.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, Account};

fn main() {
    let ids = Account::scoped(&acme()).select(accounts::id);
    let _ = accounts::table.filter(accounts::id.eq_any(ids));
}
