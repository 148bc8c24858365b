// The raw connection inside a `TenantConn` is private.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{acme, database};

fn main() {
    let mut raw = database();
    let conn = TenantConn::new(&mut raw, &acme());
    let _raw: &mut SqliteConnection = conn.raw;
}
