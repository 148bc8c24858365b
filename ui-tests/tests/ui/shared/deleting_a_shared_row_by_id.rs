// Deleting by id from the scope that reads the shared rows: the id could be a
// shared row's.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::Label;

fn remove(ctx: &TenantCtx, id: i64) {
    let _ = Label::scoped_with_shared_rows(ctx).delete(id);
}

fn main() {}
