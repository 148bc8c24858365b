// An upsert from the scope that reads the shared rows: its update could change
// a row every tenant shares.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{labels, Label};

#[derive(TenantValues)]
#[diesel(table_name = labels)]
struct NewLabel {
    id: i64,
    name: String,
}

fn add(ctx: &TenantCtx, label: &NewLabel) {
    let _ = Label::scoped_with_shared_rows(ctx)
        .insert(label)
        .on_conflict(labels::id);
}

fn main() {}
