// A values struct with the nullable tenant field, set to `None`: inserted through
// the tenant's own scope it would create a row every tenant shares.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{labels, Label};

#[derive(TenantValues)]
#[diesel(table_name = labels, treat_none_as_default_value = false)]
struct NewSharedLabel {
    id: i64,
    account_id: Option<i64>,
    name: String,
}

fn add(ctx: &TenantCtx) {
    let label = NewSharedLabel { id: 9, account_id: None, name: "everyone's".into() };
    let _ = Label::scoped(ctx).insert(&label);
}

fn main() {}
