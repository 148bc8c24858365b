// Class 8: Diesel's `or_filter`, named through its trait, on a boxed scope.
use diesel::sqlite::Sqlite;
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, Account};

fn main() {
    let boxed = Account::scoped(&acme()).into_boxed::<Sqlite>();
    let _ = diesel::QueryDsl::or_filter(boxed, accounts::id.eq(2));
}
