//! The benchmark shapes on MySQL/MariaDB (`crate::shapes`), on databases of the
//! tests' throwaway server (a unix socket, a temporary data directory).

use diesel::connection::SimpleConnection;
use diesel::mysql::MysqlConnection;
use tenant_diesel::prelude::*;
use tenant_diesel_tests::accounts;
use tenant_diesel_tests::mysql::TestDb;

crate::shapes::shapes_on!(diesel::mysql::MysqlConnection);

/// Rows per `INSERT` while seeding: one statement per row would make the
/// 20,000-row set-up slow, and one for all could pass the server's packet limit.
const SEED_CHUNK: i64 = 1_000;

/// A fresh database with the tests' schema, holding `rows` accounts for Acme
/// (even ids) and as many for Contoso (odd ids), and one invoice per Acme
/// account; the application user's connection to it.
pub fn database(rows: i64) -> MysqlConnection {
    let TestDb {
        app, mut observer, ..
    } = TestDb::new();
    observer
        .batch_execute("DELETE FROM invoices; DELETE FROM accounts;")
        .expect("empty the seed rows");
    let total = 2 * rows;
    for first in (1..=total).step_by(SEED_CHUNK as usize) {
        let chunk: Vec<_> = (first..=total.min(first + SEED_CHUNK - 1))
            .map(|n| {
                (
                    accounts::id.eq(n),
                    accounts::tenant_id.eq(1 + n % 2),
                    accounts::name.eq(format!("account {n}")),
                    accounts::balance.eq(n),
                )
            })
            .collect();
        diesel::RunQueryDsl::execute(
            diesel::insert_into(accounts::table).values(chunk),
            &mut observer,
        )
        .expect("seed the benchmark rows");
    }
    observer
        .batch_execute(
            "INSERT INTO invoices SELECT id, tenant_id, id, balance FROM accounts WHERE tenant_id = 1;
             ANALYZE TABLE accounts, invoices;",
        )
        .expect("seed the benchmark invoices");
    app
}
