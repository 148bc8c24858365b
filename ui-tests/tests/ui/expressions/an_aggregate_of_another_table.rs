// Class 9: the aggregates of `tenant_diesel::dsl` check their argument: a
// subquery inside `count(..)` is refused like anywhere else.
use tenant_diesel::dsl::count;
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, invoices, Account};

fn main() {
    let _ = Account::scoped(&acme())
        .group_by(accounts::id)
        .select(count(invoices::table.select(invoices::amount).single_value()));
}
