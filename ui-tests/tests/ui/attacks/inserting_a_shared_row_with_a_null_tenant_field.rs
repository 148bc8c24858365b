// A values struct with the nullable tenant field, set to `None`: inserted through
// the tenant's own scope it would create a row every tenant shares.
use tenant_diesel::prelude::*;

diesel::table! {
    labels (id) {
        id -> BigInt,
        account_id -> Nullable<BigInt>,
        name -> Text,
    }
}

#[derive(Queryable, Selectable, TenantScoped)]
#[diesel(table_name = labels)]
#[tenant(column = account_id, shared_rows)]
struct Label {
    id: i64,
    account_id: Option<i64>,
    name: String,
}

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
