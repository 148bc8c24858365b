// Leak vector 5: Diesel's own `on(..)` join is not offered on a scoped query.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, invoices, Invoice};

fn main() {
    let _ = Invoice::scoped(&acme())
        .inner_join(accounts::table.on(invoices::account_id.eq(accounts::id)));
}
