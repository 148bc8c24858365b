// Class 8: Diesel's own `left_join`, named through its trait on a scoped query.
use tenant_diesel_ui_tests::{accounts, acme, Invoice};

fn main() {
    let _ = diesel::QueryDsl::left_join(Invoice::scoped(&acme()), accounts::table);
}
