//! The benchmark shapes on SQLite, each written twice: by hand with Diesel, and
//! scoped. The criterion bench times them; the `instructions` binary counts their
//! instructions under callgrind, which a shared, noisy machine cannot disturb.

use diesel::connection::SimpleConnection;
use diesel::prelude::{Connection, SqliteConnection};
use tenant_diesel::prelude::*;
use tenant_diesel_tests::{accounts, invoices, Account, Invoice, NewAccount, ACME};

/// One shape: how to set up its data, and its two versions. `iteration` lets
/// inserts use fresh ids.
pub struct Shape {
    /// `load_100_rows`, `find_by_id`, ...
    pub name: &'static str,
    /// Accounts per tenant in the set-up.
    pub rows: i64,
    /// The hand-written Diesel version.
    pub hand_written: fn(&mut SqliteConnection, i64),
    /// The scoped version.
    pub scoped: fn(&mut TenantConn<&mut SqliteConnection>, &TenantCtx, i64),
}

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

fn load_hand(raw: &mut SqliteConnection, _: i64) {
    let rows: Vec<Account> =
        diesel::RunQueryDsl::load(accounts::table.filter(accounts::tenant_id.eq(ACME)), raw)
            .unwrap();
    std::hint::black_box(rows);
}

fn load_scoped(conn: &mut TenantConn<&mut SqliteConnection>, ctx: &TenantCtx, _: i64) {
    let rows: Vec<Account> = Account::scoped(ctx).load(conn).unwrap();
    std::hint::black_box(rows);
}

fn find_hand(raw: &mut SqliteConnection, _: i64) {
    let row: Account = diesel::RunQueryDsl::first(
        accounts::table
            .filter(accounts::tenant_id.eq(ACME))
            .find(42),
        raw,
    )
    .unwrap();
    std::hint::black_box(row);
}

fn find_scoped(conn: &mut TenantConn<&mut SqliteConnection>, ctx: &TenantCtx, _: i64) {
    let row: Account = Account::scoped(ctx).find(42).first(conn).unwrap();
    std::hint::black_box(row);
}

fn join_hand(raw: &mut SqliteConnection, _: i64) {
    let rows: Vec<(Invoice, String)> = diesel::RunQueryDsl::load(
        invoices::table
            .inner_join(
                accounts::table.on(invoices::account_id
                    .eq(accounts::id)
                    .and(invoices::tenant_id.eq(accounts::tenant_id))),
            )
            .filter(invoices::tenant_id.eq(ACME))
            .filter(accounts::tenant_id.eq(ACME))
            .filter(accounts::balance.gt(0))
            .order(invoices::amount.desc())
            .select((Invoice::as_select(), accounts::name)),
        raw,
    )
    .unwrap();
    std::hint::black_box(rows);
}

fn join_scoped(conn: &mut TenantConn<&mut SqliteConnection>, ctx: &TenantCtx, _: i64) {
    let rows: Vec<(Invoice, String)> = Invoice::scoped(ctx)
        .inner_join(accounts::table)
        .filter(accounts::balance.gt(0))
        .order(invoices::amount.desc())
        .select((Invoice::as_select(), accounts::name))
        .load(conn)
        .unwrap();
    std::hint::black_box(rows);
}

/// `count` new accounts with ids no earlier iteration used.
fn new_rows(iteration: i64, count: i64) -> Vec<NewAccount> {
    (0..count)
        .map(|i| {
            let id = 1_000_000 + iteration * count + i;
            NewAccount {
                id,
                name: format!("new {id}"),
                balance: i,
            }
        })
        .collect()
}

fn insert_hand(raw: &mut SqliteConnection, iteration: i64, count: i64) {
    let rows = new_rows(iteration, count);
    let stamped: Vec<_> = rows
        .iter()
        .map(|row| (accounts::tenant_id.eq(ACME), row))
        .collect();
    diesel::RunQueryDsl::execute(diesel::insert_into(accounts::table).values(stamped), raw)
        .unwrap();
}

fn insert_scoped(
    conn: &mut TenantConn<&mut SqliteConnection>,
    ctx: &TenantCtx,
    iteration: i64,
    count: i64,
) {
    let rows = new_rows(iteration, count);
    Account::scoped(ctx)
        .insert_all(&rows)
        .execute(conn)
        .unwrap();
}

fn update_hand(raw: &mut SqliteConnection, iteration: i64) {
    diesel::RunQueryDsl::execute(
        diesel::update(
            accounts::table
                .filter(accounts::tenant_id.eq(ACME))
                .find(42),
        )
        .set(accounts::balance.eq(iteration)),
        raw,
    )
    .unwrap();
}

fn update_scoped(conn: &mut TenantConn<&mut SqliteConnection>, ctx: &TenantCtx, iteration: i64) {
    Account::scoped(ctx)
        .update(42)
        .set_column(accounts::balance, iteration)
        .execute(conn)
        .unwrap();
}

/// Every shape of issue #8: loads of 1, 100 and 10,000 rows, find by id, a scoped
/// join, inserts of 1 and 100 rows, update by id.
pub fn shapes() -> Vec<Shape> {
    vec![
        Shape {
            name: "load_1_rows",
            rows: 1,
            hand_written: load_hand,
            scoped: load_scoped,
        },
        Shape {
            name: "load_100_rows",
            rows: 100,
            hand_written: load_hand,
            scoped: load_scoped,
        },
        Shape {
            name: "load_10000_rows",
            rows: 10_000,
            hand_written: load_hand,
            scoped: load_scoped,
        },
        Shape {
            name: "find_by_id",
            rows: 100,
            hand_written: find_hand,
            scoped: find_scoped,
        },
        Shape {
            name: "join_100_rows",
            rows: 100,
            hand_written: join_hand,
            scoped: join_scoped,
        },
        Shape {
            name: "insert_1_rows",
            rows: 1,
            hand_written: |raw, i| insert_hand(raw, i, 1),
            scoped: |conn, ctx, i| insert_scoped(conn, ctx, i, 1),
        },
        Shape {
            name: "insert_100_rows",
            rows: 1,
            hand_written: |raw, i| insert_hand(raw, i, 100),
            scoped: |conn, ctx, i| insert_scoped(conn, ctx, i, 100),
        },
        Shape {
            name: "update_by_id",
            rows: 100,
            hand_written: update_hand,
            scoped: update_scoped,
        },
    ]
}
