// Class 3: the model names `owner_id` as its tenant column; a values field on
// `owner_id` is refused by the column's type, not compared with `tenant_id`.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::notes;

#[derive(Insertable, TenantValues)]
#[diesel(table_name = notes)]
struct NewNote {
    id: i64,
    owner_id: i64,
    body: String,
}

fn main() {}
