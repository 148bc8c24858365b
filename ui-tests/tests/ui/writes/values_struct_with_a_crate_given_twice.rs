// `crate = ..` on a values struct is checked like the model's.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::accounts;

#[derive(Insertable, TenantValues)]
#[diesel(table_name = accounts)]
#[tenant(crate = tenant_diesel, crate = "tenant_diesel")]
struct NewAccount {
    name: String,
}

fn main() {}
