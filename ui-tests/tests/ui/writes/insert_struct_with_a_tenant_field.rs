// Leak vector 8: values that carry their own tenant could name any tenant.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::accounts;

#[derive(Insertable, TenantValues)]
#[diesel(table_name = accounts)]
struct NewAccount {
    tenant_id: i64,
    name: String,
}

fn main() {}
