// The condition of a join is checked like a filter: a column of a table the
// query does not join reads rows no tenant filter reaches.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, notes, Invoice};

fn main() {
    let _ = Invoice::scoped(&acme())
        .inner_join(accounts::table.on(accounts::id.eq(notes::account_id)));
}
