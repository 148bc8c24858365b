// A hand-written impl that declares a shared table's rows lockable from a
// tenant's scope: one tenant's request would make every other tenant wait.
use tenant_diesel::prelude::*;

tenant_diesel_ui_tests::local_tables!();

impl tenant_diesel::LockableRows for rates::table {}

fn main() {}
