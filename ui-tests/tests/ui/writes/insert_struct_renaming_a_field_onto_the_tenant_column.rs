// Leak vector 8, disguised: the field maps to the tenant column through Diesel.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::accounts;

#[derive(Insertable, TenantValues)]
#[diesel(table_name = accounts)]
struct NewAccount {
    #[diesel(column_name = tenant_id)]
    owner: i64,
    name: String,
}

fn main() {}
