// Diesel's own `for_update`, named on a scoped query of a global table: the
// scope's refusal must not be skipped through Diesel's method.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::plans;

fn main() {
    let _ = diesel::QueryDsl::for_update(global(plans::table));
}
