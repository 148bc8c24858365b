// `load` of a delete on MySQL, which has no `RETURNING`.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests_mysql::{acme, mysql_database, Account};

fn main() {
    let ctx = acme();
    let mut raw = mysql_database();
    let mut conn = TenantConn::new(&mut raw, &ctx);
    let _: Vec<Account> = Account::scoped(&ctx).delete_all().load(&mut conn).unwrap();
}
