// A join started from the scope that reads the shared rows: the join would have
// to carry the shared rows' `IS NULL` to the joined table, and joins start from
// the tenant's own scope.
use tenant_diesel::prelude::*;

diesel::table! {
    labels (id) {
        id -> BigInt,
        account_id -> Nullable<BigInt>,
        group_id -> BigInt,
    }
}

diesel::table! {
    label_groups (id) {
        id -> BigInt,
        account_id -> Nullable<BigInt>,
        name -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(labels, label_groups);

#[derive(Queryable, TenantScoped)]
#[diesel(table_name = labels)]
#[tenant(column = account_id, shared_rows)]
struct Label {
    id: i64,
    account_id: Option<i64>,
    group_id: i64,
}

#[derive(Queryable, TenantScoped)]
#[diesel(table_name = label_groups)]
#[tenant(column = account_id, shared_rows)]
struct LabelGroup {
    id: i64,
    account_id: Option<i64>,
    name: String,
}

tenant_joinable!(labels -> label_groups (group_id));

fn list(ctx: &TenantCtx) {
    let _ = Label::scoped_with_shared_rows(ctx).inner_join(label_groups::table);
}

fn main() {}
