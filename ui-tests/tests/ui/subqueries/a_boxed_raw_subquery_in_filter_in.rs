// Boxing does not make a raw query scoped.
#![allow(clippy::disallowed_methods)]
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, invoices, Account};

fn main() {
    let raw = invoices::table.select(invoices::account_id).into_boxed();
    let _ = Account::scoped(&acme()).filter_in(accounts::id, raw);
}
