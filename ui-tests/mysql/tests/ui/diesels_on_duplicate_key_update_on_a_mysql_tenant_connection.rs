// Diesel's own MySQL upsert on a tenant connection: a raw statement.
use diesel::dsl::DuplicatedKeys;
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests_mysql::{accounts, acme, mysql_database};

fn main() {
    let ctx = acme();
    let mut raw = mysql_database();
    let mut conn = TenantConn::new(&mut raw, &ctx);
    let _ = diesel::insert_into(accounts::table)
        .values((accounts::id.eq(2), accounts::tenant_id.eq(1), accounts::name.eq("Mine")))
        .on_conflict(DuplicatedKeys)
        .do_update()
        .set(accounts::name.eq("Mine"))
        .execute(&mut conn);
}
