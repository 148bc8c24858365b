// The `NULL`-tenant rows of a shared-rows table read as a global table: `global`
// would read every tenant's rows too, the filter being the caller's.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::labels;

fn main() {
    let _ = global(labels::table).filter(labels::account_id.is_null());
}
