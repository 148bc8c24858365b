// An insert into a table reached through its parent, without naming the
// parent: nothing would check the row's parent is the tenant's.
use tenant_diesel::prelude::*;

diesel::table! {
    teams (id) {
        id -> BigInt,
        account_id -> BigInt,
        name -> Text,
    }
}

diesel::table! {
    team_members (id) {
        id -> BigInt,
        team_id -> BigInt,
        role -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(teams, team_members);

#[derive(Queryable, Selectable, TenantScoped)]
#[diesel(table_name = teams)]
#[tenant(column = account_id)]
struct Team {
    id: i64,
    account_id: i64,
    name: String,
}

#[derive(Queryable, Selectable, TenantScoped)]
#[diesel(table_name = team_members)]
#[tenant(parent = teams, foreign_key = team_id)]
struct TeamMember {
    id: i64,
    team_id: i64,
    role: String,
}

#[derive(TenantValues)]
#[diesel(table_name = team_members)]
struct NewMember {
    id: i64,
    role: String,
}

fn add(ctx: &TenantCtx, member: &NewMember) {
    let _ = TeamMember::scoped(ctx).insert(member);
}

fn main() {}
