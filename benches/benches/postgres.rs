//! The wall's cost on PostgreSQL: a point lookup and a 100-row tenant read through
//! a `TenantConn` with row-level security on (one transaction per unit of work,
//! `set_config` first), against hand-written Diesel with `WHERE tenant_id = $1` on
//! the same server, in the same run. Three sides per shape:
//! - `hand_written`: plain Diesel, no row-level security (the tables' owner);
//! - `hand_written_rls`: what one would write by hand for the same wall: a
//!   transaction, `set_config`, then the filtered query, as the application role;
//! - `tenant_conn_rls`: the scoped query on a `TenantConn`, as the application role.
//!
//! `cargo bench -p tenant-diesel-benches --bench postgres`; criterion prints both
//! sides of each pair, and BENCHMARKS.md records the ratios.

use criterion::{criterion_group, criterion_main, Criterion};
use diesel::pg::PgConnection;
use diesel::Connection;
use tenant_diesel::prelude::*;
use tenant_diesel_benches::{postgres_with_rows, ROWS_PER_TENANT};
use tenant_diesel_tests::{accounts, ctx, Account, ACME};

/// What an application would write by hand to use the same wall: a transaction
/// that sets the tenant first, then the filtered query.
fn hand_written_with_rls<T>(
    conn: &mut PgConnection,
    query: impl FnOnce(&mut PgConnection) -> QueryResult<T>,
) -> T {
    conn.transaction(|conn| {
        #[allow(clippy::disallowed_methods)] // the hand-written side, on purpose
        diesel::sql_query("SELECT set_config('app.tenant_id', $1, true)")
            .bind::<diesel::sql_types::Text, _>(ACME.to_string())
            .execute(conn)?;
        query(conn)
    })
    .unwrap()
}

fn point_lookup(c: &mut Criterion) {
    let mut db = postgres_with_rows();
    let ctx = ctx(ACME);
    let mut group = c.benchmark_group("postgres/point_lookup");
    group.bench_function("hand_written", |b| {
        b.iter(|| {
            let row: Account = accounts::table
                .filter(accounts::tenant_id.eq(ACME))
                .find(42)
                .first(&mut db.observer)
                .unwrap();
            row
        })
    });
    group.bench_function("hand_written_rls", |b| {
        b.iter(|| {
            hand_written_with_rls(&mut db.app, |conn| {
                accounts::table
                    .filter(accounts::tenant_id.eq(ACME))
                    .find(42)
                    .first::<Account>(conn)
            })
        })
    });
    group.bench_function("tenant_conn_rls", |b| {
        let mut conn = TenantConn::new(&mut db.app, &ctx);
        b.iter(|| {
            let row: Account = Account::scoped(&ctx).find(42).first(&mut conn).unwrap();
            row
        })
    });
    group.finish();
}

fn tenant_read(c: &mut Criterion) {
    let mut db = postgres_with_rows();
    let ctx = ctx(ACME);
    let mut group = c.benchmark_group("postgres/read_100_rows");
    group.bench_function("hand_written", |b| {
        b.iter(|| {
            let rows: Vec<Account> = accounts::table
                .filter(accounts::tenant_id.eq(ACME))
                .order(accounts::id)
                .load(&mut db.observer)
                .unwrap();
            assert_eq!(rows.len() as i64, ROWS_PER_TENANT);
            rows
        })
    });
    group.bench_function("hand_written_rls", |b| {
        b.iter(|| {
            hand_written_with_rls(&mut db.app, |conn| {
                accounts::table
                    .filter(accounts::tenant_id.eq(ACME))
                    .order(accounts::id)
                    .load::<Account>(conn)
            })
        })
    });
    group.bench_function("tenant_conn_rls", |b| {
        let mut conn = TenantConn::new(&mut db.app, &ctx);
        b.iter(|| {
            let rows: Vec<Account> = Account::scoped(&ctx)
                .order(accounts::id)
                .load(&mut conn)
                .unwrap();
            assert_eq!(rows.len() as i64, ROWS_PER_TENANT);
            rows
        })
    });
    group.finish();
}

criterion_group!(benches, point_lookup, tenant_read);
criterion_main!(benches);
