// A nested join's `ON` is replaced by the declared pair's; one of the
// application's own there would be dropped, so it is refused.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, notes, Invoice};

fn main() {
    let _ = Invoice::scoped(&acme()).inner_join(
        accounts::table.inner_join(notes::table.on(notes::owner_id.eq(accounts::tenant_id))),
    );
}
