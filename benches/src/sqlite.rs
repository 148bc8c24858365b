//! The benchmark shapes on SQLite, each written twice: by hand with Diesel, and
//! scoped (`crate::shapes`). The criterion bench times them; the `instructions`
//! binary counts their instructions under callgrind, which a shared, noisy
//! machine cannot disturb.

use diesel::connection::SimpleConnection;
use diesel::prelude::{Connection, SqliteConnection};

/// One shape on SQLite: how to set up its data, and its two versions.
pub type Shape = crate::shapes::Shape<SqliteConnection>;

crate::shapes::shapes_on!(diesel::sqlite::SqliteConnection);

/// An in-memory database holding `rows` accounts for Acme (even ids) and as many
/// for Contoso (odd ids), and one invoice per Acme account.
pub fn database(rows: i64) -> SqliteConnection {
    let mut raw = SqliteConnection::establish(":memory:").expect("open in-memory SQLite");
    raw.batch_execute(&format!(
        "CREATE TABLE accounts (id BIGINT PRIMARY KEY, tenant_id BIGINT NOT NULL, name TEXT NOT NULL, balance BIGINT NOT NULL);
         CREATE INDEX accounts_tenant ON accounts (tenant_id, id);
         CREATE TABLE invoices (id BIGINT PRIMARY KEY, tenant_id BIGINT NOT NULL, account_id BIGINT NOT NULL, amount BIGINT NOT NULL);
         CREATE INDEX invoices_tenant ON invoices (tenant_id, account_id);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {total})
         INSERT INTO accounts SELECT i, 1 + i % 2, 'account ' || i, i FROM n;
         INSERT INTO invoices SELECT id, tenant_id, id, balance FROM accounts WHERE tenant_id = 1;",
        total = 2 * rows
    ))
    .expect("seed the benchmark rows");
    raw
}
