// An insert into a table reached through its parent, without naming the
// parent: nothing would check the row's parent is the tenant's.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{team_members, TeamMember};

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
