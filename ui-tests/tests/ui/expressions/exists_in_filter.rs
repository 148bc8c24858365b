// Leak vector 6 with `exists`: it answers a question about every tenant's rows.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{acme, invoices, Account};

fn main() {
    let _ = Account::scoped(&acme())
        .filter(diesel::dsl::exists(invoices::table.filter(invoices::amount.gt(1000))));
}
