// Leak vector 9 through an upsert: `DO UPDATE SET tenant_id = 2` would move the
// row in conflict to another tenant.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, Account, NewAccount};

fn main() {
    let row = NewAccount { id: 1, name: "Acme".into() };
    let _ = Account::scoped(&acme())
        .insert(&row)
        .on_conflict(accounts::id)
        .do_update()
        .set(accounts::tenant_id.eq(2));
}
