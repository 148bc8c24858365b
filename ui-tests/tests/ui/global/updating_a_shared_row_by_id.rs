// Class 2: nor rewrite one.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::plans;

fn main() {
    let _ = global(plans::table).update(1_i64).set_column(plans::name, "free forever");
}
