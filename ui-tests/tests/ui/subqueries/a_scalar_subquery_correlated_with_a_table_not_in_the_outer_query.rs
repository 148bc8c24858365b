// A scalar subquery correlated with `notes`, in a query on `accounts`.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, invoices, notes, Account, Invoice};

fn main() {
    let count = Invoice::scoped(&acme())
        .correlated::<notes::table>()
        .filter(invoices::account_id.eq(notes::account_id))
        .count()
        .single_value();
    let _ = Account::scoped(&acme()).select((accounts::id, count));
}
