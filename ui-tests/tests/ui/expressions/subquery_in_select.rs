// Leak vector 6 in the select clause.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, invoices, Account};

fn main() {
    let _ = Account::scoped(&acme()).select((
        accounts::id,
        invoices::table.select(invoices::amount).single_value(),
    ));
}
