// Class 2: a tenant's connection may not delete what every tenant shares.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::plans;

fn main() {
    let _ = global(plans::table).delete_all();
}
