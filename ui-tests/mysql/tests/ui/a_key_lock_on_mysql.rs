// `FOR NO KEY UPDATE` on MySQL, which locks whole rows only.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests_mysql::{acme, mysql_database, Account};

fn main() {
    let ctx = acme();
    let mut raw = mysql_database();
    let mut conn = TenantConn::new(&mut raw, &ctx);
    let _: Vec<Account> = Account::scoped(&ctx)
        .for_no_key_update()
        .load(&mut conn)
        .unwrap();
}
