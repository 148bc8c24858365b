// A table has a tenant column of its own or reaches its tenant through a
// parent, not both.
use tenant_diesel::prelude::*;

diesel::table! {
    team_members (id) {
        id -> BigInt,
        team_id -> BigInt,
        tenant_id -> BigInt,
    }
}

#[derive(TenantScoped)]
#[diesel(table_name = team_members)]
#[tenant(column = tenant_id, parent = teams, foreign_key = team_id)]
struct TeamMember {
    id: i64,
    team_id: i64,
    tenant_id: i64,
}

fn main() {}
