// Boxing the scope that reads the shared rows, then deleting through the boxed
// query: boxing must keep the read-only mode, or every shared row goes.
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

fn wipe(ctx: &TenantCtx) {
    let _ = Label::scoped_with_shared_rows(ctx)
        .filter(labels::account_id.is_null())
        .into_boxed::<diesel::sqlite::Sqlite>()
        .delete_all();
}

fn main() {}
