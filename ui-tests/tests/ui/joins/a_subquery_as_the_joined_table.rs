// A query is not a table: Diesel's select over every tenant's accounts as the
// joined side.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, Invoice};

fn main() {
    let _ = Invoice::scoped(&acme()).inner_join(accounts::table.select(accounts::id));
}
