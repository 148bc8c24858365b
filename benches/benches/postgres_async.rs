//! The async wall's cost on PostgreSQL, each shape measured four ways on the same
//! server, in the same run:
//! - `diesel_async`: plain diesel-async with `WHERE tenant_id = $1`, no
//!   row-level security (as the tables' owner), one round trip;
//! - `scoped_rls_async`: the scoped query on an `AsyncTenantConn`, as the
//!   application role: the opening batch pipelined with the statement, then
//!   `COMMIT`;
//! - `diesel_sync`: plain Diesel, sync, as the owner;
//! - `scoped_rls_sync`: the scoped query on a sync `TenantConn`, as the
//!   application role: the opening batch, the statement, `COMMIT`.
//!
//! The goals compare `scoped_rls_async / diesel_async` and
//! `scoped_rls_sync / diesel_sync`. Every async iteration runs on one
//! current-thread runtime, the same for both async sides.
//!
//! `cargo bench -p tenant-diesel-benches --bench postgres_async`

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use tenant_diesel::async_conn::AsyncTenantConn;
use tenant_diesel_benches::postgres_with_rows;
use tenant_diesel_tests::postgres::{PgServer, TestDb, APP_ROLE};
use tenant_diesel_tests::{accounts, ctx, Account, NewAccount, ACME};

/// The four connections of one database.
struct Sides {
    runtime: tokio::runtime::Runtime,
    plain_async: AsyncPgConnection,
    scoped_async: AsyncPgConnection,
    db: TestDb,
}

impl Sides {
    fn new(db: TestDb) -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let server = PgServer::shared();
        let (plain_async, scoped_async) = runtime.block_on(async {
            (
                AsyncPgConnection::establish(&server.url("postgres", &db.name))
                    .await
                    .expect("connect as the owner"),
                AsyncPgConnection::establish(&server.url(APP_ROLE, &db.name))
                    .await
                    .expect("connect as the application role"),
            )
        });
        Self {
            runtime,
            plain_async,
            scoped_async,
            db,
        }
    }
}

/// One shape, four ways. Each closure runs one unit of work.
fn four_ways<PA, SA, PS, SS>(
    c: &mut Criterion,
    name: &str,
    sides: &mut Sides,
    plain_async: PA,
    scoped_async: SA,
    plain_sync: PS,
    scoped_sync: SS,
) where
    PA: AsyncFn(&mut AsyncPgConnection) -> diesel::QueryResult<usize>,
    SA: AsyncFn(&mut AsyncTenantConn<&mut AsyncPgConnection>) -> diesel::QueryResult<usize>,
    PS: Fn(&mut PgConnection) -> diesel::QueryResult<usize>,
    SS: Fn(&mut tenant_diesel::TenantConn<&mut PgConnection>) -> diesel::QueryResult<usize>,
{
    let ctx = ctx(ACME);
    let mut group = c.benchmark_group(format!("postgres_async/{name}"));
    group.bench_function("diesel_async", |b| {
        b.iter(|| {
            sides
                .runtime
                .block_on(plain_async(&mut sides.plain_async))
                .unwrap()
        })
    });
    group.bench_function("scoped_rls_async", |b| {
        b.iter(|| {
            let mut conn = AsyncTenantConn::with_setting(
                &mut sides.scoped_async,
                &ctx,
                sides.db.setting.clone(),
            );
            sides.runtime.block_on(scoped_async(&mut conn)).unwrap()
        })
    });
    group.bench_function("diesel_sync", |b| {
        b.iter(|| plain_sync(&mut sides.db.observer).unwrap())
    });
    group.bench_function("scoped_rls_sync", |b| {
        b.iter(|| {
            let mut conn = tenant_diesel::TenantConn::with_setting(
                &mut sides.db.app,
                &ctx,
                sides.db.setting.clone(),
            );
            scoped_sync(&mut conn).unwrap()
        })
    });
    group.finish();
}

fn reads(c: &mut Criterion) {
    use tenant_diesel::prelude::*;

    let ctx = ctx(ACME);
    for rows in [1_i64, 100] {
        let mut sides = Sides::new(postgres_with_rows(rows));
        four_ways(
            c,
            &format!("load_{rows}_rows"),
            &mut sides,
            async |conn| {
                diesel_async::RunQueryDsl::load::<Account>(
                    accounts::table.filter(accounts::tenant_id.eq(ACME)),
                    conn,
                )
                .await
                .map(|rows| rows.len())
            },
            async |conn| {
                tenant_diesel::async_conn::RunQueryDsl::load::<Account>(Account::scoped(&ctx), conn)
                    .await
                    .map(|rows| rows.len())
            },
            |conn| {
                diesel::RunQueryDsl::load::<Account>(
                    accounts::table.filter(accounts::tenant_id.eq(ACME)),
                    conn,
                )
                .map(|rows| rows.len())
            },
            |conn| {
                Account::scoped(&ctx)
                    .load::<Account>(conn)
                    .map(|rows| rows.len())
            },
        );
    }
}

fn find_by_id(c: &mut Criterion) {
    use tenant_diesel::prelude::*;

    let ctx = ctx(ACME);
    let mut sides = Sides::new(postgres_with_rows(100));
    four_ways(
        c,
        "find_by_id",
        &mut sides,
        async |conn| {
            diesel_async::RunQueryDsl::first::<Account>(
                accounts::table
                    .filter(accounts::tenant_id.eq(ACME))
                    .find(42),
                conn,
            )
            .await
            .map(|_| 1)
        },
        async |conn| {
            tenant_diesel::async_conn::RunQueryDsl::first::<Account>(
                Account::scoped(&ctx).find(42),
                conn,
            )
            .await
            .map(|_| 1)
        },
        |conn| {
            diesel::RunQueryDsl::first::<Account>(
                accounts::table
                    .filter(accounts::tenant_id.eq(ACME))
                    .find(42),
                conn,
            )
            .map(|_| 1)
        },
        |conn| {
            Account::scoped(&ctx)
                .find(42)
                .first::<Account>(conn)
                .map(|_| 1)
        },
    );
}

fn update_by_id(c: &mut Criterion) {
    use tenant_diesel::prelude::*;

    let ctx = ctx(ACME);
    let mut sides = Sides::new(postgres_with_rows(100));
    four_ways(
        c,
        "update_by_id",
        &mut sides,
        async |conn| {
            diesel_async::RunQueryDsl::execute(
                diesel::update(
                    accounts::table
                        .filter(accounts::tenant_id.eq(ACME))
                        .find(42),
                )
                .set(accounts::balance.eq(7)),
                conn,
            )
            .await
        },
        async |conn| {
            tenant_diesel::async_conn::RunQueryDsl::execute(
                Account::scoped(&ctx)
                    .update(42)
                    .set_column(accounts::balance, 7),
                conn,
            )
            .await
        },
        |conn| {
            diesel::RunQueryDsl::execute(
                diesel::update(
                    accounts::table
                        .filter(accounts::tenant_id.eq(ACME))
                        .find(42),
                )
                .set(accounts::balance.eq(7)),
                conn,
            )
        },
        |conn| {
            Account::scoped(&ctx)
                .update(42)
                .set_column(accounts::balance, 7)
                .execute(conn)
        },
    );
}

fn insert_one(c: &mut Criterion) {
    use tenant_diesel::prelude::*;

    let ctx = ctx(ACME);
    let mut sides = Sides::new(postgres_with_rows(1));
    let row = NewAccount {
        id: 1_000_000,
        name: "new".into(),
        balance: 1,
    };
    // Each iteration inserts the same id: it is deleted in the set-up, which is
    // not timed, over a connection of its own.
    let cleaner = std::cell::RefCell::new(PgServer::shared().connect("postgres", &sides.db.name));
    let empty = || {
        cleaner
            .borrow_mut()
            .batch_execute("DELETE FROM accounts WHERE id >= 1000000")
            .unwrap()
    };
    let mut group = c.benchmark_group("postgres_async/insert_1_row");
    group.bench_function("diesel_async", |b| {
        b.iter_batched(
            empty,
            |()| {
                sides
                    .runtime
                    .block_on(diesel_async::RunQueryDsl::execute(
                        diesel::insert_into(accounts::table)
                            .values((accounts::tenant_id.eq(ACME), &row)),
                        &mut sides.plain_async,
                    ))
                    .unwrap()
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("scoped_rls_async", |b| {
        b.iter_batched(
            empty,
            |()| {
                let mut conn = AsyncTenantConn::with_setting(
                    &mut sides.scoped_async,
                    &ctx,
                    sides.db.setting.clone(),
                );
                sides
                    .runtime
                    .block_on(tenant_diesel::async_conn::RunQueryDsl::execute(
                        Account::scoped(&ctx).insert(&row),
                        &mut conn,
                    ))
                    .unwrap()
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("diesel_sync", |b| {
        b.iter_batched(
            empty,
            |()| {
                diesel::RunQueryDsl::execute(
                    diesel::insert_into(accounts::table)
                        .values((accounts::tenant_id.eq(ACME), &row)),
                    &mut sides.db.observer,
                )
                .unwrap()
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("scoped_rls_sync", |b| {
        b.iter_batched(
            empty,
            |()| {
                let mut conn =
                    TenantConn::with_setting(&mut sides.db.app, &ctx, sides.db.setting.clone());
                Account::scoped(&ctx)
                    .insert(&row)
                    .execute(&mut conn)
                    .unwrap()
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, reads, find_by_id, update_by_id, insert_one);
criterion_main!(benches);
