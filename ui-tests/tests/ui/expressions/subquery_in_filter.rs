// Leak vector 6: the subquery reads invoices of every tenant.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, invoices, Account};

fn main() {
    let _ = Account::scoped(&acme())
        .filter(accounts::id.eq_any(invoices::table.select(invoices::account_id)));
}
