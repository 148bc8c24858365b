// A pair declared joinable whose tables are missing from
// `allow_tables_to_appear_in_same_query!`: refused at the declaration, first, with
// the library's sentence naming that macro (the join that uses the pair fails after it).
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::acme;

diesel::table! { teams (id) { id -> BigInt, tenant_id -> BigInt, name -> Text, } }
diesel::table! { players (id) { id -> BigInt, tenant_id -> BigInt, team_id -> BigInt, } }

#[derive(Queryable, TenantScoped)]
#[diesel(table_name = teams)]
struct Team {
    id: i64,
    tenant_id: i64,
    name: String,
}

#[derive(Queryable, TenantScoped)]
#[diesel(table_name = players)]
struct Player {
    id: i64,
    tenant_id: i64,
    team_id: i64,
}

tenant_joinable!(players -> teams (team_id));

fn main() {
    let _ = Player::scoped(&acme()).inner_join(teams::table);
}
