// Class 10: Diesel's `infix_operator!` pastes its text without parentheses, so
// ` OR ` here would read `tenant_id = ? AND a OR b`: every tenant's rows.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, Account};

diesel::infix_operator!(Either, " OR ");

fn main() {
    let _ = Account::scoped(&acme()).filter(Either::new(accounts::id.eq(1), accounts::id.eq(2)));
}
