// Leak vector 7: `WHERE tenant_id = ? OR name = ?` would undo the tenant filter.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, Account};

fn main() {
    let _ = Account::scoped(&acme())
        .filter(accounts::name.eq("Acme Ltd"))
        .or_filter(accounts::name.eq("Contoso plc"));
}
