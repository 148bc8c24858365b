// Inserting from the scope that reads the shared rows: inserts start from the
// tenant's own scope, which stamps the tenant (never `NULL`).
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{labels, Label};

#[derive(TenantValues)]
#[diesel(table_name = labels)]
struct NewLabel {
    id: i64,
    name: String,
}

fn add(ctx: &TenantCtx, label: &NewLabel) {
    let _ = Label::scoped_with_shared_rows(ctx).insert(label);
}

fn main() {}
