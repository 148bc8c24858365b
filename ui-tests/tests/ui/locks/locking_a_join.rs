// A row lock on a join: Diesel has no `FOR UPDATE OF`, so the lock would take
// the joined table's rows too.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{acme, invoices, Account};

fn main() {
    let _ = Account::scoped(&acme()).inner_join(invoices::table).for_update();
}
