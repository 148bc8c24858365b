// An upsert whose conflict target is another table's column: the clause would
// name a key the scope's table does not have.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{acme, invoices, Account, NewAccount};

fn main() {
    let row = NewAccount { id: 1, name: "Acme".into() };
    let _ = Account::scoped(&acme()).insert(&row).on_conflict(invoices::id).do_nothing();
}
