// Class 8: a boxed scope is still a scope: no `or_filter`.
use diesel::sqlite::Sqlite;
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, Account};

fn main() {
    let _ = Account::scoped(&acme())
        .into_boxed::<Sqlite>()
        .or_filter(accounts::id.eq(2));
}
