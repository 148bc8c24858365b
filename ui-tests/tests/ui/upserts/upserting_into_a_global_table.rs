// Leak vector 19 through an upsert: a tenant's request would rewrite a row
// every tenant shares.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::plans;

#[derive(Insertable)]
#[diesel(table_name = plans)]
struct NewPlan {
    id: i64,
    name: String,
}

fn main() {
    let plan = NewPlan { id: 1, name: "free forever".into() };
    let _ = global(plans::table).insert(&plan).on_conflict(plans::id);
}
