// Class 3: `r#tenant_id` is the column `tenant_id`; the types see one column.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::accounts;

#[derive(Insertable, TenantValues)]
#[diesel(table_name = accounts)]
struct NewAccount {
    r#tenant_id: i64,
    name: String,
}

fn main() {}
