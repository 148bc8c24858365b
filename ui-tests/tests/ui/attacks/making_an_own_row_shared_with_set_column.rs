// Setting the tenant column of one's own row to `NULL`: the row would become a
// shared row, read by every tenant.
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

fn share(ctx: &TenantCtx) {
    let _ = Label::scoped(ctx)
        .update(3)
        .set_column(labels::account_id, None::<i64>);
}

fn main() {}
