// A `TenantConn` does not deref (or `AsMut`) to the Diesel connection it wraps.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{acme, database};

fn main() {
    let mut raw = database();
    let mut conn = TenantConn::new(&mut raw, &acme());
    let _raw: &mut SqliteConnection = &mut *conn;
    let _raw: &mut SqliteConnection = conn.as_mut();
}
