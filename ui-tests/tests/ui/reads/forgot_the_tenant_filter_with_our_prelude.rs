// Leak vector 1: the query is never filtered by the tenant.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, database, Account};

fn list_accounts(conn: &mut TenantConn<&mut SqliteConnection>) -> QueryResult<Vec<Account>> {
    accounts::table.order(accounts::name).limit(10).load(conn)
}

fn main() {
    let mut raw = database();
    let _ = list_accounts(&mut TenantConn::new(&mut raw, &acme()));
}
