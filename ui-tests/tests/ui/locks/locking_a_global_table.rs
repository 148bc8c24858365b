// A row lock on a table every tenant shares: one tenant's request would make
// every other tenant wait.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::plans;

fn main() {
    let _ = global(plans::table).for_update();
}
