// `excluded` columns of another table: not a column the insert proposed.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, invoices, Account, NewAccount};

fn main() {
    let row = NewAccount { id: 1, name: "Acme".into() };
    let _ = Account::scoped(&acme())
        .insert(&row)
        .on_conflict(accounts::id)
        .do_update()
        .set_excluded(invoices::amount);
}
