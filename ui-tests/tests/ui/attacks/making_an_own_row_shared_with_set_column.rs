// Setting the tenant column of one's own row to `NULL`: the row would become a
// shared row, read by every tenant.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{labels, Label};

fn share(ctx: &TenantCtx) {
    let _ = Label::scoped(ctx)
        .update(3)
        .set_column(labels::account_id, None::<i64>);
}

fn main() {}
