// The condition of a self-join is checked like any other: a subquery there
// reads every tenant's invoices.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, invoices, Account};

fn main() {
    let other = diesel::alias!(accounts as other_accounts);
    let _ = Account::scoped(&acme()).inner_join(other.on(
        other.field(accounts::id).eq_any(invoices::table.select(invoices::account_id)),
    ));
}
