// Leak vector 6 in a having clause.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, invoices, Account};

fn main() {
    let _ = Account::scoped(&acme())
        .group_by(accounts::name)
        .having(diesel::dsl::exists(invoices::table.select(invoices::id)));
}
