// `SharedRowsTable` written by hand, its "shared filter" raw SQL: the read-only
// scope it opens runs any statement on a tenant's connection.
#![allow(clippy::disallowed_methods)]
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{acme, database};

tenant_diesel_ui_tests::local_tables!();

impl tenant_diesel::SharedRowsTable for ledgers::table {
    type SharedFiltered = diesel::query_builder::SqlQuery;
    fn shared_filter(_: TenantId) -> diesel::query_builder::SqlQuery {
        diesel::sql_query("DELETE FROM accounts WHERE tenant_id = 2")
    }
}

fn main() {
    let mut raw = database();
    let mut conn = TenantConn::new(&mut raw, &acme());
    let deleted = tenant_diesel::__private::scope_with_shared_rows::<ledgers::table, _>(&acme())
        .execute(&mut conn)
        .unwrap();
    println!("deleted {deleted} of Contoso's rows on Acme's connection");
}
