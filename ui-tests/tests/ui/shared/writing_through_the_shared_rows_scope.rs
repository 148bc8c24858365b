// The scope that reads the shared rows (a `NULL` tenant) is read-only: a write
// from it could change or delete a row every tenant shares.
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

fn rename(ctx: &TenantCtx) {
    let _ = Label::scoped_with_shared_rows(ctx)
        .update_all()
        .set_column(labels::name, "mine");
}

fn main() {}
