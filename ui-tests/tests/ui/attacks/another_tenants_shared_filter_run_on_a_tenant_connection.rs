// `SharedRowsTable::shared_filter` is public (hidden): it builds another tenant's
// filter from a bare id. Run on a tenant connection, it is a raw query.
use tenant_diesel::prelude::*;
use tenant_diesel::SharedRowsTable;
use tenant_diesel_ui_tests::{acme, database};

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

fn main() {
    let mut raw = database();
    let mut conn = TenantConn::new(&mut raw, &acme());
    let _: Vec<Label> = labels::table::shared_filter(TenantId::new(2))
        .load(&mut conn)
        .unwrap();
}
