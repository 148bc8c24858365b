// Diesel's own `or_filter` on a scoped upsert: `WHERE tenant_id = ? OR true`
// would update another tenant's row in conflict.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, Account, AccountChanges, NewAccount};

fn main() {
    let row = NewAccount { id: 1, name: "Acme".into() };
    let upsert = Account::scoped(&acme())
        .insert(&row)
        .on_conflict(accounts::id)
        .do_update()
        .set(&AccountChanges { name: "Acme".into() });
    let _ = diesel::query_dsl::methods::OrFilterDsl::or_filter(upsert, accounts::id.gt(0));
}
