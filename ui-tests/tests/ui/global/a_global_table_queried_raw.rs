// Even a global table runs only as a sealed query, so its expressions are checked.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{acme, database, plans, Plan};

fn main() {
    let mut raw = database();
    let mut conn = TenantConn::new(&mut raw, &acme());
    let _: QueryResult<Vec<Plan>> = plans::table.load(&mut conn);
}
