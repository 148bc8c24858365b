// Deleting by id from the scope that reads the shared rows: the id could be a
// shared row's.
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

fn remove(ctx: &TenantCtx, id: i64) {
    let _ = Label::scoped_with_shared_rows(ctx).delete(id);
}

fn main() {}
