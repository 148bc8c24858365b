// One table twice in a query: its columns would be ambiguous.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, Invoice};

fn main() {
    let _ = Invoice::scoped(&acme())
        .inner_join(accounts::table)
        .left_join(accounts::table);
}
