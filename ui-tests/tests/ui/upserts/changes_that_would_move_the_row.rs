// Changes that carry the tenant column, checked by the derive: the update of
// the row in conflict would move it to another tenant.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, Account, NewAccount};

#[derive(AsChangeset, TenantValues)]
#[diesel(table_name = accounts)]
struct MoveAccount {
    tenant_id: i64,
    name: String,
}

fn main() {
    let row = NewAccount { id: 1, name: "Acme".into() };
    let _ = Account::scoped(&acme())
        .insert(&row)
        .on_conflict(accounts::id)
        .do_update()
        .set(&MoveAccount { tenant_id: 2, name: "Acme".into() });
}
