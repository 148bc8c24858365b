// A column of an alias the query does not join reads rows no tenant filter
// reaches.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, Account};

fn main() {
    let other = diesel::alias!(accounts as other_accounts);
    let _ = Account::scoped(&acme()).filter(other.field(accounts::name).eq("Globex"));
}
