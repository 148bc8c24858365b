// The `NULL`-tenant rows of a shared-rows table read as a global table: `global`
// would read every tenant's rows too, the filter being the caller's.
use tenant_diesel::prelude::*;

diesel::table! {
    labels (id) {
        id -> BigInt,
        account_id -> Nullable<BigInt>,
        name -> Text,
    }
}

#[derive(Queryable, Selectable, TenantScoped)]
#[diesel(table_name = labels)]
#[tenant(column = account_id, shared_rows)]
struct Label {
    id: i64,
    account_id: Option<i64>,
    name: String,
}

fn main() {
    let _ = global(labels::table).filter(labels::account_id.is_null());
}
