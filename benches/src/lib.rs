//! Shared set-up of the benchmarks: the tests' schema and servers, with more rows.
#![forbid(unsafe_code)]

use diesel::connection::SimpleConnection;
use tenant_diesel_tests::postgres::TestDb;

/// Rows each benchmark tenant owns in `accounts`.
pub const ROWS_PER_TENANT: i64 = 100;

/// A PostgreSQL database with the tests' schema and row-level security, plus
/// [`ROWS_PER_TENANT`] more accounts for each of Acme and Contoso.
pub fn postgres_with_rows() -> TestDb {
    let mut db = TestDb::new();
    db.observer
        .batch_execute(&format!(
            "DELETE FROM invoices; DELETE FROM accounts;
             INSERT INTO accounts (id, tenant_id, name, balance)
             SELECT n, 1 + n % 2, 'account ' || n, n FROM generate_series(1, {}) AS n;
             ANALYZE accounts;",
            2 * ROWS_PER_TENANT
        ))
        .expect("seed the benchmark rows");
    db
}
