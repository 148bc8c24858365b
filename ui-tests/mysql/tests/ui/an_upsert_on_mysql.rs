// An upsert on MySQL: `ON DUPLICATE KEY UPDATE` fires on any unique key and
// takes no `WHERE`, so it could update another tenant's row.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests_mysql::{accounts, acme, mysql_database, Account, AccountChanges, NewAccount};

fn main() {
    let ctx = acme();
    let mut raw = mysql_database();
    let mut conn = TenantConn::new(&mut raw, &ctx);
    let row = NewAccount { id: 2, name: "Mine now".into() };
    let _ = Account::scoped(&ctx)
        .insert(&row)
        .on_conflict(accounts::id)
        .do_update()
        .set(&AccountChanges { name: "Mine now".into() })
        .execute(&mut conn);
}
