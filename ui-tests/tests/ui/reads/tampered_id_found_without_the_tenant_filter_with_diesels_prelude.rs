// Leak vector 2 with Diesel's own prelude: Diesel's message, still no compile.
use diesel::prelude::*;
use tenant_diesel::TenantConn;
use tenant_diesel_ui_tests::{accounts, acme, database, Account};

fn select_account(conn: &mut TenantConn<&mut SqliteConnection>, account_id: i64) -> QueryResult<Account> {
    accounts::table.find(account_id).first(conn)
}

fn main() {
    let mut raw = database();
    let _ = select_account(&mut TenantConn::new(&mut raw, &acme()), 2);
}
