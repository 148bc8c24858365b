// Diesel's `insert_or_ignore_into` on a MySQL tenant connection: `INSERT IGNORE`
// stamps no tenant, and turns every other error of the insert into a warning.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests_mysql::{accounts, acme, mysql_database};

fn main() {
    let ctx = acme();
    let mut raw = mysql_database();
    let mut conn = TenantConn::new(&mut raw, &ctx);
    let _ = diesel::insert_or_ignore_into(accounts::table)
        .values((accounts::id.eq(2), accounts::tenant_id.eq(2), accounts::name.eq("Theirs")))
        .execute(&mut conn);
}
