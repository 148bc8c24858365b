// `shared_rows` on a `NOT NULL` tenant column: no row is without a tenant, so
// none is shared.
use tenant_diesel::prelude::*;

diesel::table! {
    labels (id) {
        id -> BigInt,
        account_id -> BigInt,
        name -> Text,
    }
}

#[derive(TenantScoped)]
#[diesel(table_name = labels)]
#[tenant(column = account_id, shared_rows)]
struct Label {
    id: i64,
    account_id: i64,
    name: String,
}

fn main() {}
