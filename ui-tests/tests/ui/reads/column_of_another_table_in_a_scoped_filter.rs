// A scoped query on accounts cannot filter on a column of invoices.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{acme, invoices, Account};

fn main() {
    let _ = Account::scoped(&acme()).filter(invoices::amount.gt(100));
}
