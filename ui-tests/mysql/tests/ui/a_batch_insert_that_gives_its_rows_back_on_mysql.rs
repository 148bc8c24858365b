// `get_results` of a batch insert on MySQL, which has no `RETURNING`.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests_mysql::{acme, mysql_database, Account, NewAccount};

fn main() {
    let ctx = acme();
    let mut raw = mysql_database();
    let mut conn = TenantConn::new(&mut raw, &ctx);
    let rows = [NewAccount { id: 3, name: "Hooli".into() }];
    let _: Vec<Account> = Account::scoped(&ctx).insert_all(&rows).get_results(&mut conn).unwrap();
}
