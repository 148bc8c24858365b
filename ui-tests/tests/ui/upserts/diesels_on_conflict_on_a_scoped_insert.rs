// Diesel's own `on_conflict`, named on a scoped insert: its `DO UPDATE` would
// have no tenant filter.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, Account, NewAccount};

fn main() {
    let row = NewAccount { id: 1, name: "Acme".into() };
    let insert = Account::scoped(&acme()).insert(&row);
    let _ = diesel::query_builder::InsertStatement::on_conflict(insert, accounts::id);
}
