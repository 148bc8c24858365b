// An application that reaches tenant-diesel only through a facade module (as a
// workspace's shared `prelude` crate would re-export it): every derive and macro
// says where, with `crate = facade::td`, and runs.
use diesel::connection::SimpleConnection;
use diesel::sql_types::Text;
use facade::td::audit::{AuditError, Auditor, MemorySink};
use facade::td::prelude::*;

mod facade {
    pub use tenant_diesel as td;
}

diesel::table! {
    ledgers (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        name -> Text,
    }
}

#[derive(Debug, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = ledgers)]
#[tenant(crate = facade::td)]
struct Ledger {
    id: i64,
    tenant_id: i64,
    name: String,
}

#[derive(Insertable, TenantValues)]
#[diesel(table_name = ledgers)]
#[tenant(crate = "facade::td")]
struct NewLedger {
    id: i64,
    name: String,
}

facade::td::tenant_sql_function! {
    crate = facade::td;
    fn upper(x: Text) -> Text;
}

facade::td::tenant_infix_operator!(crate = facade::td; Concat, " || ", Text);

#[facade::td::audited(crate = facade::td, action = "open_ledger", target = id)]
fn open_ledger(
    ctx: &TenantCtx,
    audit: &Auditor,
    conn: &mut TenantConn<&mut SqliteConnection>,
    id: i64,
) -> Result<Option<Ledger>, AuditError> {
    Ok(Ledger::scoped(ctx).find(id).first(conn).optional().expect("the query runs"))
}

fn main() {
    let ctx = tenant_diesel_ui_tests::acme();
    let mut raw = SqliteConnection::establish(":memory:").expect("open in-memory SQLite");
    raw.batch_execute(
        "CREATE TABLE ledgers (id BIGINT PRIMARY KEY, tenant_id BIGINT NOT NULL, name TEXT NOT NULL);
         INSERT INTO ledgers VALUES (2, 2, 'contoso');",
    )
    .expect("create the table");
    let mut conn = TenantConn::new(&mut raw, &ctx);
    let row: Ledger = Ledger::scoped(&ctx)
        .insert(NewLedger { id: 1, name: "acme".into() })
        .get_result(&mut conn)
        .expect("a scoped insert");
    assert_eq!((row.id, row.tenant_id, row.name.as_str()), (1, 1, "acme"));
    let names: Vec<String> = Ledger::scoped(&ctx)
        .filter(Concat::new(upper(ledgers::name), "!".into_sql::<Text>()).eq("ACME!"))
        .select(ledgers::name)
        .load(&mut conn)
        .expect("a scoped read");
    assert_eq!(names, ["acme"]);
    let audit = Auditor::new(std::sync::Arc::new(MemorySink::new()));
    assert!(open_ledger(&ctx, &audit, &mut conn, 1).expect("audited").is_some());
    assert!(open_ledger(&ctx, &audit, &mut conn, 2).expect("audited").is_none());
}
