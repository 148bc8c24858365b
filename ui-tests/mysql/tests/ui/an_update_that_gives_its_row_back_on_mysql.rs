// `get_result` of an update on MySQL, which has no `RETURNING`.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests_mysql::{accounts, acme, mysql_database, Account};

fn main() {
    let ctx = acme();
    let mut raw = mysql_database();
    let mut conn = TenantConn::new(&mut raw, &ctx);
    let _: Account = Account::scoped(&ctx)
        .update(1)
        .set_column(accounts::name, "Acme")
        .get_result(&mut conn)
        .unwrap();
}
