// A global query cannot peek into tenant rows through a subquery.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, plans};

fn main() {
    let _ = global(plans::table).filter(plans::id.eq_any(accounts::table.select(accounts::id)));
}
