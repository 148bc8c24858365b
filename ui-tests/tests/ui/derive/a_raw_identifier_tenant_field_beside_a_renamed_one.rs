// Class 11: `r#tenant_id` and a field renamed onto `tenant_id` are one column:
// the model would have made the tenant column writable.
use tenant_diesel::prelude::*;

diesel::table! {
    ledgers (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        name -> Text,
    }
}

#[derive(Queryable, TenantScoped)]
#[diesel(table_name = ledgers)]
#[tenant(column = tenant_id)]
struct Ledger {
    id: i64,
    r#tenant_id: i64,
    #[diesel(column_name = tenant_id)]
    owner: i64,
    name: String,
}

fn main() {}
