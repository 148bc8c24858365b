// Leak vector 8: a plain `Insertable` with a tenant field, on a scoped insert.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, Account};

#[derive(Insertable)]
#[diesel(table_name = accounts)]
struct RawNewAccount {
    id: i64,
    tenant_id: i64,
    name: String,
}

fn main() {
    let row = RawNewAccount { id: 9, tenant_id: 2, name: "Contoso's now".into() };
    let _ = Account::scoped(&acme()).insert(&row);
}
