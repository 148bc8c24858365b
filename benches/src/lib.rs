//! Shared set-up of the benchmarks: the tests' schema and servers, with more rows.
#![forbid(unsafe_code)]

pub mod mysql;
pub mod shapes;
pub mod sqlite;

use diesel::connection::SimpleConnection;
use tenant_diesel_tests::postgres::TestDb;

/// A PostgreSQL database with the tests' schema and row-level security, holding
/// `rows` accounts for each of Acme (even ids) and Contoso (odd ids), and one
/// invoice per Acme account.
pub fn postgres_with_rows(rows: i64) -> TestDb {
    let mut db = TestDb::new();
    db.observer
        .batch_execute(&format!(
            "DELETE FROM invoices; DELETE FROM accounts;
             INSERT INTO accounts (id, tenant_id, name, balance)
             SELECT n, 1 + n % 2, 'account ' || n, n FROM generate_series(1, {total}) AS n;
             INSERT INTO invoices SELECT id, tenant_id, id, balance FROM accounts WHERE tenant_id = 1;
             ANALYZE accounts; ANALYZE invoices;",
            total = 2 * rows
        ))
        .expect("seed the benchmark rows");
    db
}
