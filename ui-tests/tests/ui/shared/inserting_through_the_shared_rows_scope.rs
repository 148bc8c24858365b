// Inserting from the scope that reads the shared rows: inserts start from the
// tenant's own scope, which stamps the tenant (never `NULL`).
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
#[diesel(table_name = labels)]
struct NewLabel {
    id: i64,
    name: String,
}

fn add(ctx: &TenantCtx, label: &NewLabel) {
    let _ = Label::scoped_with_shared_rows(ctx).insert(label);
}

fn main() {}
