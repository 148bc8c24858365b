// A tenant join of a shared-rows table (nullable tenant column) and a tenant
// table: both hold `i64` ids; the tenant columns differ in nullability (`SameTenantColumns`).
use tenant_diesel::prelude::*;

diesel::table! {
    labels (id) {
        id -> BigInt,
        account_id -> Nullable<BigInt>,
        name -> Text,
    }
}

diesel::table! {
    taggings (id) {
        id -> BigInt,
        account_id -> BigInt,
        label_id -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(labels, taggings);

#[derive(Queryable, TenantScoped)]
#[diesel(table_name = labels)]
#[tenant(column = account_id, shared_rows)]
struct Label {
    id: i64,
    account_id: Option<i64>,
    name: String,
}

#[derive(Queryable, TenantScoped)]
#[diesel(table_name = taggings)]
#[tenant(column = account_id)]
struct Tagging {
    id: i64,
    account_id: i64,
    label_id: i64,
}

tenant_joinable!(taggings -> labels (label_id));

fn main() {}
