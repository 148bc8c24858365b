// A subquery correlated with `notes`, put in a query on `accounts`: the outer
// columns it reads are not the outer query's.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, database, invoices, notes, Account, Invoice};

fn main() {
    let inner = Invoice::scoped(&acme())
        .correlated::<notes::table>()
        .filter(invoices::account_id.eq(notes::account_id));
    let _: Vec<i64> = Account::scoped(&acme())
        .filter_exists(inner)
        .select(accounts::id)
        .load(&mut TenantConn::new(&mut database(), &acme()))
        .unwrap();
}
