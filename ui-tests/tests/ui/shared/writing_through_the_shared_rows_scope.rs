// The scope that reads the shared rows (a `NULL` tenant) is read-only: a write
// from it could change or delete a row every tenant shares.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{labels, Label};

fn rename(ctx: &TenantCtx) {
    let _ = Label::scoped_with_shared_rows(ctx)
        .update_all()
        .set_column(labels::name, "mine");
}

fn main() {}
