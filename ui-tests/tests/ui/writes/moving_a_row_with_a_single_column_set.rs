// Leak vector 9 through the single-column form: the tenant column is not writable.
use tenant_diesel_ui_tests::{accounts, acme, Account};

fn main() {
    let _ = Account::scoped(&acme()).update(1).set_column(accounts::tenant_id, 2_i64);
}
