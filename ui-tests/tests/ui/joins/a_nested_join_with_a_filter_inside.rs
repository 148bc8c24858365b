// A nested join with anything applied to it (here a filter whose subquery
// reads every tenant's notes) is not a nest of tables.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, notes, Invoice};

fn main() {
    let _ = Invoice::scoped(&acme()).inner_join(
        accounts::table
            .inner_join(notes::table)
            .filter(accounts::id.eq_any(notes::table.select(notes::account_id))),
    );
}
