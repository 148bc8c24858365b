// Class 2: nor one shared row.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::plans;

fn main() {
    let _ = global(plans::table).delete(1_i64);
}
