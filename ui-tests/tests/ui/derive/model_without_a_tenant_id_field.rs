use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::accounts;

#[derive(TenantScoped)]
#[diesel(table_name = accounts)]
struct Account {
    id: i64,
    name: String,
}

fn main() {}
