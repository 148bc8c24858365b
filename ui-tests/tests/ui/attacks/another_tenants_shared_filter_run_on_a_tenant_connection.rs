// `SharedRowsTable::shared_filter` is public (hidden): it builds another tenant's
// filter from a bare id. Run on a tenant connection, it is a raw query.
use tenant_diesel::prelude::*;
use tenant_diesel::SharedRowsTable;
use tenant_diesel_ui_tests::{acme, database};
use tenant_diesel_ui_tests::{labels, Label};

fn main() {
    let mut raw = database();
    let mut conn = TenantConn::new(&mut raw, &acme());
    let _: Vec<Label> = labels::table::shared_filter(TenantId::new(2))
        .load(&mut conn)
        .unwrap();
}
