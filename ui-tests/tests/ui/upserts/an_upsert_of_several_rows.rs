// A batch upsert: Diesel sends SQLite batches row by row and has none with the
// tenant filter's `WHERE`.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, Account, NewAccount};

fn main() {
    let rows = [NewAccount { id: 1, name: "Acme".into() }];
    let _ = Account::scoped(&acme()).insert_all(&rows).on_conflict(accounts::id);
}
