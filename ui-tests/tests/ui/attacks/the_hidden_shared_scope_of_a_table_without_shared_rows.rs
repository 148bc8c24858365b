// The hidden `__private::scope_with_shared_rows` called on a table whose model
// does not say `shared_rows`: the generated code's entry point, called by hand.
use tenant_diesel_ui_tests::{accounts, acme};

fn main() {
    let _ = tenant_diesel::__private::scope_with_shared_rows::<accounts::table, _>(&acme());
}
