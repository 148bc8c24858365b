// Class 6: `GlobalTable` is declared by `global_table!`, not by hand.
use tenant_diesel::prelude::*;

tenant_diesel_ui_tests::local_tables!();

impl tenant_diesel::GlobalTable for rates::table {}

fn main() {
    let _ = global(rates::table);
}
