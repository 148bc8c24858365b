// An upsert of a row reached through its parent: it has no tenant column of its
// own to guard the update of the row in conflict.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{team_members, TeamMember};

#[derive(TenantValues)]
#[diesel(table_name = team_members)]
struct NewMember {
    id: i64,
    role: String,
}

fn add(ctx: &TenantCtx, member: &NewMember) {
    let _ = TeamMember::scoped(ctx)
        .insert_under(1, member)
        .on_conflict(team_members::id);
}

fn main() {}
