// Leak vector 2: an id taken from the URL is looked up on the whole table.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, database, Account};

fn select_account(conn: &mut TenantConn<&mut SqliteConnection>, account_id: i64) -> QueryResult<Account> {
    accounts::table.find(account_id).first(conn)
}

fn main() {
    let mut raw = database();
    let _ = select_account(&mut TenantConn::new(&mut raw, &acme()), 2);
}
