// Leak vector 1 with Diesel's own prelude: the message is Diesel's, but it still
// does not compile, because a `TenantConn` is not a Diesel connection.
use diesel::prelude::*;
use tenant_diesel::TenantConn;
use tenant_diesel_ui_tests::{accounts, acme, database, Account};

fn list_accounts(conn: &mut TenantConn<&mut SqliteConnection>) -> QueryResult<Vec<Account>> {
    accounts::table.order(accounts::name).limit(10).load(conn)
}

fn main() {
    let mut raw = database();
    let _ = list_accounts(&mut TenantConn::new(&mut raw, &acme()));
}
