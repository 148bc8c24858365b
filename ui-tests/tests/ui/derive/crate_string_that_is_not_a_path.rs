// The string form of `crate = ..` holds a path too.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::accounts;

#[derive(TenantScoped)]
#[diesel(table_name = accounts)]
#[tenant(crate = "tenant diesel")]
struct Account {
    id: i64,
    tenant_id: i64,
}

fn main() {}
