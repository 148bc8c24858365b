// The inner scoped query is checked like any other: a raw subquery inside it
// is refused there.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, invoices, Account, Invoice};

fn main() {
    let inner = Invoice::scoped(&acme())
        .filter(invoices::account_id.eq_any(accounts::table.select(accounts::id)))
        .select(invoices::account_id);
    let _ = Account::scoped(&acme()).filter_in(accounts::id, inner);
}
