// An alias of a table reached through its parent has no tenant column to
// filter the copy by.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{acme, team_members, teams, Team};

fn main() {
    let member = diesel::alias!(team_members as members);
    let _ = Team::scoped(&acme()).inner_join(member.on(member.field(team_members::team_id).eq(teams::id)));
}
