// A parent that no tenant owns: its rows would let every tenant's children
// through.
use tenant_diesel::prelude::*;

diesel::table! {
    plans (id) {
        id -> BigInt,
        name -> Text,
    }
}

diesel::table! {
    plan_features (id) {
        id -> BigInt,
        plan_id -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(plans, plan_features);
global_table!(plans (id, name));

#[derive(TenantScoped)]
#[diesel(table_name = plan_features)]
#[tenant(parent = plans, foreign_key = plan_id)]
struct PlanFeature {
    id: i64,
    plan_id: i64,
}

fn main() {}
