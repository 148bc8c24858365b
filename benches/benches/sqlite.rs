//! The wall's cost on SQLite in memory, in the shapes of Diesel's own benchmarks:
//! each scoped query beside the hand-written filtered Diesel query on the same data,
//! in the same run. The SQL is identical (the tests check it), so any difference is
//! overhead of the wrapper.
//!
//! `cargo bench -p tenant-diesel-benches --bench sqlite`

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use diesel::connection::SimpleConnection;
use tenant_diesel::prelude::*;
use tenant_diesel_tests::{accounts, ctx, invoices, Account, Invoice, NewAccount, ACME};

/// An in-memory database holding `rows` accounts for Acme and as many for Contoso,
/// and one invoice per Acme account.
fn database(rows: i64) -> SqliteConnection {
    let mut raw = SqliteConnection::establish(":memory:").unwrap();
    raw.batch_execute(
        "CREATE TABLE accounts (id BIGINT PRIMARY KEY, tenant_id BIGINT NOT NULL, name TEXT NOT NULL, balance BIGINT NOT NULL);
         CREATE INDEX accounts_tenant ON accounts (tenant_id, id);
         CREATE TABLE invoices (id BIGINT PRIMARY KEY, tenant_id BIGINT NOT NULL, account_id BIGINT NOT NULL, amount BIGINT NOT NULL);
         CREATE INDEX invoices_tenant ON invoices (tenant_id, account_id);",
    )
    .unwrap();
    raw.batch_execute(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {total})
         INSERT INTO accounts SELECT i, 1 + i % 2, 'account ' || i, i FROM n;
         INSERT INTO invoices SELECT id, tenant_id, id, balance FROM accounts WHERE tenant_id = 1;",
        total = 2 * rows
    ))
    .unwrap();
    raw
}

fn reads(c: &mut Criterion) {
    let ctx = ctx(ACME);
    for rows in [1_i64, 100, 10_000] {
        let mut raw = database(rows);
        let mut group = c.benchmark_group(format!("sqlite/load_{rows}_rows"));
        group.bench_function("hand_written", |b| {
            b.iter(|| {
                let loaded: Vec<Account> = diesel::RunQueryDsl::load(
                    accounts::table.filter(accounts::tenant_id.eq(ACME)),
                    &mut raw,
                )
                .unwrap();
                assert_eq!(loaded.len() as i64, rows);
                loaded
            })
        });
        group.bench_function("scoped", |b| {
            let mut conn = TenantConn::new(&mut raw, &ctx);
            b.iter(|| {
                let loaded: Vec<Account> = Account::scoped(&ctx).load(&mut conn).unwrap();
                assert_eq!(loaded.len() as i64, rows);
                loaded
            })
        });
        group.finish();
    }
}

fn find_by_id(c: &mut Criterion) {
    let ctx = ctx(ACME);
    let mut raw = database(100);
    let mut group = c.benchmark_group("sqlite/find_by_id");
    group.bench_function("hand_written", |b| {
        b.iter(|| {
            let row: Account = diesel::RunQueryDsl::first(
                accounts::table
                    .filter(accounts::tenant_id.eq(ACME))
                    .find(42),
                &mut raw,
            )
            .unwrap();
            row
        })
    });
    group.bench_function("scoped", |b| {
        let mut conn = TenantConn::new(&mut raw, &ctx);
        b.iter(|| {
            let row: Account = Account::scoped(&ctx).find(42).first(&mut conn).unwrap();
            row
        })
    });
    group.finish();
}

fn scoped_join(c: &mut Criterion) {
    let ctx = ctx(ACME);
    let mut raw = database(100);
    let mut group = c.benchmark_group("sqlite/join_100_rows");
    group.bench_function("hand_written", |b| {
        b.iter(|| {
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
                &mut raw,
            )
            .unwrap();
            assert_eq!(rows.len(), 100);
            rows
        })
    });
    group.bench_function("scoped", |b| {
        let mut conn = TenantConn::new(&mut raw, &ctx);
        b.iter(|| {
            let rows: Vec<(Invoice, String)> = Invoice::scoped(&ctx)
                .inner_join(accounts::table)
                .filter(accounts::balance.gt(0))
                .order(invoices::amount.desc())
                .select((Invoice::as_select(), accounts::name))
                .load(&mut conn)
                .unwrap();
            assert_eq!(rows.len(), 100);
            rows
        })
    });
    group.finish();
}

fn new_rows(count: i64) -> Vec<NewAccount> {
    (0..count)
        .map(|i| NewAccount {
            id: 1_000_000 + i,
            name: format!("new {i}"),
            balance: i,
        })
        .collect()
}

fn inserts(c: &mut Criterion) {
    let ctx = ctx(ACME);
    for count in [1_i64, 100] {
        let mut group = c.benchmark_group(format!("sqlite/insert_{count}_rows"));
        let rows = new_rows(count);
        group.bench_function("hand_written", |b| {
            b.iter_batched_ref(
                || database(1),
                |raw| {
                    let stamped: Vec<_> = rows
                        .iter()
                        .map(|row| (accounts::tenant_id.eq(ACME), row))
                        .collect();
                    diesel::RunQueryDsl::execute(
                        diesel::insert_into(accounts::table).values(stamped),
                        raw,
                    )
                    .unwrap()
                },
                BatchSize::SmallInput,
            )
        });
        group.bench_function("scoped", |b| {
            b.iter_batched_ref(
                || database(1),
                |raw| {
                    let mut conn = TenantConn::new(raw, &ctx);
                    Account::scoped(&ctx)
                        .insert_all(&rows)
                        .execute(&mut conn)
                        .unwrap()
                },
                BatchSize::SmallInput,
            )
        });
        group.finish();
    }
}

fn update_by_id(c: &mut Criterion) {
    let ctx = ctx(ACME);
    let mut raw = database(100);
    let mut group = c.benchmark_group("sqlite/update_by_id");
    group.bench_function("hand_written", |b| {
        b.iter(|| {
            diesel::RunQueryDsl::execute(
                diesel::update(
                    accounts::table
                        .filter(accounts::tenant_id.eq(ACME))
                        .find(42),
                )
                .set(accounts::balance.eq(7)),
                &mut raw,
            )
            .unwrap()
        })
    });
    group.bench_function("scoped", |b| {
        let mut conn = TenantConn::new(&mut raw, &ctx);
        b.iter(|| {
            Account::scoped(&ctx)
                .update(42)
                .set_column(accounts::balance, 7)
                .execute(&mut conn)
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    reads,
    find_by_id,
    scoped_join,
    inserts,
    update_by_id
);
criterion_main!(benches);
