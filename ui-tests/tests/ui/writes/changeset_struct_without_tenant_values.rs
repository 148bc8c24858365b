// A changeset that was never checked for a tenant field.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, Account};

#[derive(AsChangeset)]
#[diesel(table_name = accounts)]
struct Changes {
    name: String,
}

fn main() {
    let changes = Changes { name: "Renamed".into() };
    let _ = Account::scoped(&acme()).update(1).set(&changes);
}
