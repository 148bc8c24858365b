// `ThroughParent` written by hand for a tenant table: only the public
// `insert_under`, whose "parent check" always passes and whose "stamp" names
// another tenant. Refused by the seal.
use diesel::sql_types::BigInt;
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{acme, database};

tenant_diesel_ui_tests::local_tables!();

#[derive(TenantValues)]
#[diesel(table_name = ledgers)]
struct NewLedger {
    id: i64,
    name: String,
}

type One = diesel::dsl::select<diesel::dsl::AsExprOf<i64, BigInt>>;

impl tenant_diesel::ThroughParent for ledgers::table {
    type Parent = ledgers::table;
    const FOREIGN_KEY: &'static str = "id";
    const PARENT_KEY: &'static str = "id";
    type ParentKey = i64;
    type ParentCheck = One;
    type Stamp = diesel::dsl::Eq<ledgers::tenant_id, i64>;
    fn parent_check(_: TenantId, _: i64) -> One {
        diesel::select(1_i64.into_sql::<BigInt>())
    }
    fn stamp(_: i64) -> Self::Stamp {
        ledgers::tenant_id.eq(2)
    }
}

fn main() {
    use diesel::connection::SimpleConnection;
    let mut raw = database();
    raw.batch_execute("CREATE TABLE ledgers (id BIGINT PRIMARY KEY, tenant_id BIGINT NOT NULL, name TEXT NOT NULL);")
        .unwrap();
    let mut conn = TenantConn::new(&mut raw, &acme());
    let n = Ledger::scoped(&acme())
        .insert_under(0, NewLedger { id: 7, name: "planted".into() })
        .execute(&mut conn)
        .unwrap();
    let rows: Vec<(i64, i64, String)> = ledgers::table.load(&mut raw).unwrap();
    println!("inserted {n} on Acme's connection: {rows:?}");
}
