// `crate` alone does not say where tenant-diesel is.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::accounts;

#[derive(TenantScoped)]
#[diesel(table_name = accounts)]
#[tenant(crate)]
struct Account {
    id: i64,
    tenant_id: i64,
}

fn main() {}
