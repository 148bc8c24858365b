// A nullable foreign key to the parent: a row without a parent would belong to
// no tenant, and the scope's semi-join cannot compare it.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::teams;

diesel::table! {
    assignments (id) {
        id -> BigInt,
        team_id -> Nullable<BigInt>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(assignments, teams);

#[derive(TenantScoped)]
#[diesel(table_name = assignments)]
#[tenant(parent = teams, foreign_key = team_id)]
struct Assignment {
    id: i64,
    team_id: Option<i64>,
}

fn main() {}
