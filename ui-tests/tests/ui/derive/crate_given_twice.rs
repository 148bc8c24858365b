// Two paths of tenant-diesel: the expansion would name only one of them.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::accounts;

#[derive(TenantScoped)]
#[diesel(table_name = accounts)]
#[tenant(crate = tenant_diesel)]
#[tenant(crate = tenant_diesel)]
struct Account {
    id: i64,
    tenant_id: i64,
}

fn main() {}
