// `global(..)` is only for tables every tenant shares.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::accounts;

fn main() {
    let _ = global(accounts::table);
}
