// `SKIP LOCKED` modifies a lock; a query without one has nothing to modify.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{acme, Account};

fn main() {
    let _ = Account::scoped(&acme()).skip_locked();
}
