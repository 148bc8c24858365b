// Only a read is a subquery: an update statement is not one.
use tenant_diesel_ui_tests::{accounts, acme, Account};

fn main() {
    let update = Account::scoped(&acme()).update_all().set_column(accounts::name, "x");
    let _ = Account::scoped(&acme()).filter_exists(update);
}
