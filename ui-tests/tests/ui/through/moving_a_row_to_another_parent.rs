// Moving a member to another team by setting the foreign key: the parent,
// and with it the tenant, would change.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{team_members, TeamMember};

fn move_member(ctx: &TenantCtx, id: i64, team: i64) {
    let _ = TeamMember::scoped(ctx).update(id).set_column(team_members::team_id, team);
}

fn main() {}
