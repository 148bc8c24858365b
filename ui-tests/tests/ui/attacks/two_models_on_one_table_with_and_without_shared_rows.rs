// Two models of one table, one that says `shared_rows` and one that does not:
// the second would treat the `NULL` rows as nobody's and the first as everyone's.
use tenant_diesel::prelude::*;

diesel::table! {
    labels (id) {
        id -> BigInt,
        account_id -> Nullable<BigInt>,
        name -> Text,
    }
}

#[derive(Queryable, TenantScoped)]
#[diesel(table_name = labels)]
#[tenant(column = account_id, shared_rows)]
struct Label {
    id: i64,
    account_id: Option<i64>,
    name: String,
}

#[derive(Queryable, TenantScoped)]
#[diesel(table_name = labels)]
#[tenant(column = account_id)]
struct OwnLabel {
    id: i64,
    account_id: Option<i64>,
    name: String,
}

fn main() {}
