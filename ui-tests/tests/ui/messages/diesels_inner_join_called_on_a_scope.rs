// Class 8: Diesel's own `inner_join`, named through its trait on a scoped query.
// It would join `accounts` with no tenant term; before, it ended in an overflow
// advising a recursion limit.
use tenant_diesel_ui_tests::{accounts, acme, Invoice};

fn main() {
    let _ = diesel::QueryDsl::inner_join(Invoice::scoped(&acme()), accounts::table);
}
