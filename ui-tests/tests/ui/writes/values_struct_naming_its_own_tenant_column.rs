// Class 3: a values struct may not say which column is the tenant column: the
// model's `TenantScoped` says it, and `tenant_id` here is still refused.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::accounts;

#[derive(Insertable, TenantValues)]
#[diesel(table_name = accounts)]
#[tenant(column = name)]
struct NewAccount {
    tenant_id: i64,
    name: String,
}

fn main() {}
