// A context for UUID ids reading the shared rows of a table whose tenant column is
// `bigint`: the shared scope checks the id type like the tenant's own scope.
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

fn list(ctx: &TenantCtx<uuid::Uuid>) {
    let _ = Label::scoped_with_shared_rows(ctx);
}

fn main() {}
