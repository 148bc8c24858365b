// The foreign key to the parent must be a field of the model.
use tenant_diesel::prelude::*;

diesel::table! {
    team_members (id) {
        id -> BigInt,
        team_id -> BigInt,
    }
}

#[derive(TenantScoped)]
#[diesel(table_name = team_members)]
#[tenant(parent = teams, foreign_key = team_id)]
struct TeamMember {
    id: i64,
}

fn main() {}
