// Class 3: an embedded struct is values too; unchecked, it could write the tenant.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::accounts;

#[derive(Insertable)]
#[diesel(table_name = accounts)]
struct Owner {
    tenant_id: i64,
}

#[derive(Insertable, TenantValues)]
#[diesel(table_name = accounts)]
struct NewAccount {
    name: String,
    #[diesel(embed)]
    owner: Owner,
}

fn main() {}
