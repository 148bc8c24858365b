// Leak vector 6 in the order clause: the sort order reveals other tenants' data.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{acme, invoices, Account};

fn main() {
    let _ = Account::scoped(&acme()).order(invoices::table.select(invoices::amount).single_value());
}
