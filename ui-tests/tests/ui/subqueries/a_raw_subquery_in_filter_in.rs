// A raw Diesel subquery reads every tenant's invoices: `filter_in` takes a
// scoped query only.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, invoices, Account};

fn main() {
    let _ = Account::scoped(&acme()).filter_in(accounts::id, invoices::table.select(invoices::account_id));
}
