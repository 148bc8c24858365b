// Class 2: nor rewrite them all.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::plans;

fn main() {
    let _ = global(plans::table).filter(plans::id.gt(0_i64)).update_all();
}
