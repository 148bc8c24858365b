// Boxing the scope that reads the shared rows, then deleting through the boxed
// query: boxing must keep the read-only mode, or every shared row goes.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{labels, Label};

fn wipe(ctx: &TenantCtx) {
    let _ = Label::scoped_with_shared_rows(ctx)
        .filter(labels::account_id.is_null())
        .into_boxed::<diesel::sqlite::Sqlite>()
        .delete_all();
}

fn main() {}
