// The tenant column and how the table reaches it are the model's to declare
// (`#[derive(TenantScoped)]`), never a values struct's: `crate` is its one key.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::team_members;

#[derive(Insertable, TenantValues)]
#[diesel(table_name = team_members)]
#[tenant(parent = teams, foreign_key = team_id)]
struct NewTeamMember {
    role: String,
}

fn main() {}
