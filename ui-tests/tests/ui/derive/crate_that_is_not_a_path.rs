// `crate = ..` names the path of tenant-diesel (`td`, `facade::td` or "td");
// anything else is refused where it is written.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::accounts;

#[derive(TenantScoped)]
#[diesel(table_name = accounts)]
#[tenant(crate = 42)]
struct Account {
    id: i64,
    tenant_id: i64,
}

fn main() {}
