// Leak vector 5: a join the library has no tenant-aware `ON` clause for.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{acme, plans, Account};

fn main() {
    let _ = Account::scoped(&acme()).inner_join(plans::table);
}
