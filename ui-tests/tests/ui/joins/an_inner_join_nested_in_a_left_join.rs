// `a LEFT JOIN (b INNER JOIN c)` is no chain of joins: the scope flattens a
// nest into the chain it equals, and this one has none.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, notes, Invoice};

fn main() {
    let _ = Invoice::scoped(&acme()).left_join(accounts::table.inner_join(notes::table));
}
