// `DO UPDATE SET tenant_id = excluded.tenant_id`: harmless for the tenant's own
// row, but a column list that names the tenant column is one a refactoring
// makes move rows; the tenant column is never set.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, Account, NewAccount};

fn main() {
    let row = NewAccount { id: 1, name: "Acme".into() };
    let _ = Account::scoped(&acme())
        .insert(&row)
        .on_conflict(accounts::id)
        .do_update()
        .set_excluded((accounts::name, accounts::tenant_id));
}
