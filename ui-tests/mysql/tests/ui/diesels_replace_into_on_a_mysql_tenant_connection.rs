// Diesel's `replace_into` on a MySQL tenant connection: `REPLACE` deletes the
// row holding the key, whichever tenant's, then inserts.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests_mysql::{accounts, acme, mysql_database};

fn main() {
    let ctx = acme();
    let mut raw = mysql_database();
    let mut conn = TenantConn::new(&mut raw, &ctx);
    let _ = diesel::replace_into(accounts::table)
        .values((accounts::id.eq(2), accounts::tenant_id.eq(1), accounts::name.eq("Mine")))
        .execute(&mut conn);
}
