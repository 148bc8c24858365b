// Changes derived with Diesel's `AsChangeset` alone, a tenant field among them:
// the update of the row in conflict would move it to another tenant.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, Account, NewAccount};

#[derive(AsChangeset)]
#[diesel(table_name = accounts)]
struct RawChanges {
    tenant_id: i64,
    name: String,
}

fn main() {
    let row = NewAccount { id: 1, name: "Acme".into() };
    let _ = Account::scoped(&acme())
        .insert(&row)
        .on_conflict(accounts::id)
        .do_update()
        .set(&RawChanges { tenant_id: 2, name: "Acme".into() });
}
