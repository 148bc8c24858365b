// A row lock through the scope that reads the shared rows: a lock on a shared
// row would make every tenant wait.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{acme, Label};

fn main() {
    let _ = Label::scoped_with_shared_rows(&acme()).for_update();
}
