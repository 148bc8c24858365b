// `get_result` of an insert on MySQL, which has no `RETURNING`.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests_mysql::{acme, mysql_database, Account, NewAccount};

fn main() {
    let ctx = acme();
    let mut raw = mysql_database();
    let mut conn = TenantConn::new(&mut raw, &ctx);
    let row = NewAccount { id: 3, name: "Hooli".into() };
    let _: Account = Account::scoped(&ctx).insert(&row).get_result(&mut conn).unwrap();
}
