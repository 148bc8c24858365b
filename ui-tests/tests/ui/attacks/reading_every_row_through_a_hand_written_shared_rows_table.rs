// `SharedRowsTable` written by hand for a tenant table, its "shared filter" a
// bare table, then opened through the hidden `scope_with_shared_rows`.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, database, Account};

tenant_diesel_ui_tests::local_tables!();

impl tenant_diesel::SharedRowsTable for ledgers::table {
    type SharedFiltered = accounts::table;
    fn shared_filter(_: TenantId) -> accounts::table {
        accounts::table
    }
}

fn main() {
    let mut raw = database();
    let mut conn = TenantConn::new(&mut raw, &acme());
    let every_account: Vec<Account> =
        tenant_diesel::__private::scope_with_shared_rows::<ledgers::table, _>(&acme())
            .load(&mut conn)
            .unwrap();
    println!("{every_account:?}");
}
