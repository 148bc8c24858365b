// `on_conflict_do_nothing` on MySQL: refused like every upsert there.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests_mysql::{acme, mysql_database, Account, NewAccount};

fn main() {
    let ctx = acme();
    let mut raw = mysql_database();
    let mut conn = TenantConn::new(&mut raw, &ctx);
    let row = NewAccount { id: 2, name: "Hooli".into() };
    let _ = Account::scoped(&ctx)
        .insert(&row)
        .on_conflict_do_nothing()
        .execute(&mut conn);
}
