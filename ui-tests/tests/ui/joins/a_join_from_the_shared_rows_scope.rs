// `tenant = ? OR tenant IS NULL` would not carry to the joined table.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{acme, plans, Label};

fn main() {
    let _ = Label::scoped_with_shared_rows(&acme()).inner_join(plans::table);
}
