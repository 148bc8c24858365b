// A table reached through its parent has no tenant column to add to the
// condition: it is joined from its parent's scope by its own declaration.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{acme, team_members, teams, Team};

fn main() {
    let _ = Team::scoped(&acme())
        .inner_join(team_members::table.on(team_members::team_id.eq(teams::id)));
}
