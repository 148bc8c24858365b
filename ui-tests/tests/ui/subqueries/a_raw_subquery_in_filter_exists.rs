// `EXISTS` over every tenant's invoices tells one tenant about another's.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{acme, invoices, Account};

fn main() {
    let _ = Account::scoped(&acme()).filter_not_exists(invoices::table.filter(invoices::amount.gt(45)));
}
