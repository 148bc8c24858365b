// Only a read is a scalar subquery.
use tenant_diesel_ui_tests::{accounts, acme, Account};

fn main() {
    let _ = Account::scoped(&acme())
        .update_all()
        .set_column(accounts::name, "x")
        .single_value();
}
