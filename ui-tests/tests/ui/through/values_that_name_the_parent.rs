// Values that name the parent: the parent comes from `insert_under`, which
// checks it is the tenant's, never from the values.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::team_members;

#[derive(TenantValues)]
#[diesel(table_name = team_members)]
struct NewMember {
    id: i64,
    team_id: i64,
    role: String,
}

fn main() {}
