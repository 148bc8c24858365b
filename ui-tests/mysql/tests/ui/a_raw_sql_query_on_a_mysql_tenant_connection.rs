// Raw SQL on a MySQL tenant connection: no database wall stands behind it.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests_mysql::{acme, mysql_database};

fn main() {
    let ctx = acme();
    let mut raw = mysql_database();
    let mut conn = TenantConn::new(&mut raw, &ctx);
    let _ = diesel::sql_query("UPDATE accounts SET name = 'x'").execute(&mut conn);
}
