//! The wall's cost on PostgreSQL, in the shapes of Diesel's own benchmarks, each
//! measured three ways on the same server, in the same run:
//! - `hand_written`: plain Diesel with `WHERE tenant_id = $1`, no row-level security
//!   (as the tables' owner);
//! - `hand_written_rls`: what one would write by hand for the same wall: a
//!   transaction, `set_config('app.tenant_id', $1, true)`, then the filtered query,
//!   as the application role;
//! - `scoped_rls`: the scoped query on a `TenantConn`, as the application role.
//!
//! `scoped_rls / hand_written_rls` is the wrapper's cost; `scoped_rls /
//! hand_written` is the cost of the wall itself (two extra round trips per unit
//! of work: the opening batch and `COMMIT`).
//!
//! `postgres/wall_modes/*` prices each defence of the database wall on the same
//! shapes, each on a database of its own in the same run: the default (signed
//! tenant, session check), without the session check, and with the bare
//! (unsigned, forgeable) setting. `postgres/wall_functions_x1000/*` prices the
//! same defences on the server alone, 1,000 calls per statement.
//!
//! `cargo bench -p tenant-diesel-benches --bench postgres`

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::Connection;
use tenant_diesel::prelude::*;
use tenant_diesel::TenantId;
use tenant_diesel_benches::postgres_with_rows;
use tenant_diesel_tests::postgres::{wall_key, PgServer, TestDb};
use tenant_diesel_tests::{accounts, ctx, invoices, Account, Invoice, NewAccount, ACME};

/// The hand-written unit of work behind the same wall.
fn with_tenant<T>(
    conn: &mut PgConnection,
    query: impl FnOnce(&mut PgConnection) -> QueryResult<T>,
) -> T {
    conn.transaction(|conn| {
        #[allow(clippy::disallowed_methods)] // the hand-written side, on purpose
        diesel::RunQueryDsl::execute(
            diesel::sql_query("SELECT set_config('app.tenant_id', $1, true)")
                .bind::<diesel::sql_types::Text, _>(
                wall_key().signed_value(TenantId::new(ACME), std::time::Duration::from_secs(30)),
            ),
            conn,
        )?;
        query(conn)
    })
    .unwrap()
}

/// Benchmarks one shape three ways: `hand` is the hand-written query, run plain
/// and behind the wall; `scoped` is the scoped version.
fn three_ways<T>(
    c: &mut Criterion,
    name: &str,
    db: &mut TestDb,
    hand: impl Fn(&mut PgConnection) -> QueryResult<T>,
    scoped: impl Fn(&mut TenantConn<&mut PgConnection>) -> QueryResult<T>,
) {
    let ctx = ctx(ACME);
    let mut group = c.benchmark_group(format!("postgres/{name}"));
    group.bench_function("hand_written", |b| {
        b.iter(|| hand(&mut db.observer).unwrap())
    });
    group.bench_function("hand_written_rls", |b| {
        b.iter(|| with_tenant(&mut db.app, &hand))
    });
    group.bench_function("scoped_rls", |b| {
        let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
        b.iter(|| scoped(&mut conn).unwrap())
    });
    group.finish();
}

fn reads(c: &mut Criterion) {
    let ctx = ctx(ACME);
    for rows in [1_i64, 100, 10_000] {
        let mut db = postgres_with_rows(rows);
        three_ways(
            c,
            &format!("load_{rows}_rows"),
            &mut db,
            |conn| {
                diesel::RunQueryDsl::load::<Account>(
                    accounts::table.filter(accounts::tenant_id.eq(ACME)),
                    conn,
                )
            },
            |conn| Account::scoped(&ctx).load::<Account>(conn),
        );
    }
}

fn find_by_id(c: &mut Criterion) {
    let ctx = ctx(ACME);
    let mut db = postgres_with_rows(100);
    three_ways(
        c,
        "find_by_id",
        &mut db,
        |conn| {
            diesel::RunQueryDsl::first::<Account>(
                accounts::table
                    .filter(accounts::tenant_id.eq(ACME))
                    .find(42),
                conn,
            )
        },
        |conn| Account::scoped(&ctx).find(42).first::<Account>(conn),
    );
}

fn scoped_join(c: &mut Criterion) {
    let ctx = ctx(ACME);
    let mut db = postgres_with_rows(100);
    three_ways(
        c,
        "join_100_rows",
        &mut db,
        |conn| {
            diesel::RunQueryDsl::load::<(Invoice, String)>(
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
                conn,
            )
        },
        |conn| {
            Invoice::scoped(&ctx)
                .inner_join(accounts::table)
                .filter(accounts::balance.gt(0))
                .order(invoices::amount.desc())
                .select((Invoice::as_select(), accounts::name))
                .load::<(Invoice, String)>(conn)
        },
    );
}

fn update_by_id(c: &mut Criterion) {
    let ctx = ctx(ACME);
    let mut db = postgres_with_rows(100);
    three_ways(
        c,
        "update_by_id",
        &mut db,
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

fn inserts(c: &mut Criterion) {
    let ctx = ctx(ACME);
    let mut db = postgres_with_rows(1);
    for count in [1_i64, 100] {
        let rows: Vec<NewAccount> = (0..count)
            .map(|i| NewAccount {
                id: 1_000_000 + i,
                name: format!("new {i}"),
                balance: i,
            })
            .collect();
        let mut group = c.benchmark_group(format!("postgres/insert_{count}_rows"));
        // Each iteration inserts the same ids: they are deleted in the set-up, which
        // is not timed, over a connection of its own.
        let cleaner = std::cell::RefCell::new(PgServer::shared().connect("postgres", &db.name));
        let empty = || {
            cleaner
                .borrow_mut()
                .batch_execute("DELETE FROM accounts WHERE id >= 1000000")
                .unwrap()
        };
        let hand = |conn: &mut PgConnection| {
            let stamped: Vec<_> = rows
                .iter()
                .map(|row| (accounts::tenant_id.eq(ACME), row))
                .collect();
            diesel::RunQueryDsl::execute(diesel::insert_into(accounts::table).values(stamped), conn)
        };
        group.bench_function("hand_written", |b| {
            b.iter_batched(
                empty,
                |()| hand(&mut db.observer).unwrap(),
                BatchSize::PerIteration,
            )
        });
        group.bench_function("hand_written_rls", |b| {
            b.iter_batched(
                empty,
                |()| with_tenant(&mut db.app, hand),
                BatchSize::PerIteration,
            )
        });
        group.bench_function("scoped_rls", |b| {
            b.iter_batched(
                empty,
                |()| {
                    let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                    Account::scoped(&ctx)
                        .insert_all(&rows)
                        .execute(&mut conn)
                        .unwrap()
                },
                BatchSize::PerIteration,
            )
        });
        group.finish();
    }
}

/// One scoped shape on three databases that differ only in the wall's mode.
fn wall_modes_of<T>(
    c: &mut Criterion,
    name: &str,
    rows: i64,
    scoped: impl Fn(&mut TenantConn<&mut PgConnection>) -> QueryResult<T>,
) {
    let ctx = ctx(ACME);
    let mut signed = postgres_with_rows(rows);
    let mut unchecked = postgres_with_rows(rows);
    unchecked.remove_session_check();
    let mut unsigned = postgres_with_rows(rows);
    unsigned.use_unsigned_policies();
    let mut group = c.benchmark_group(format!("postgres/wall_modes/{name}"));
    for (side, db) in [
        ("signed_checked", &mut signed),
        ("signed_no_session_check", &mut unchecked),
        ("unsigned_checked", &mut unsigned),
    ] {
        group.bench_function(side, |b| {
            let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
            b.iter(|| scoped(&mut conn).unwrap())
        });
    }
    group.finish();
}

fn wall_modes(c: &mut Criterion) {
    let ctx = ctx(ACME);
    wall_modes_of(c, "find_by_id", 100, |conn| {
        Account::scoped(&ctx).find(42).first::<Account>(conn)
    });
    wall_modes_of(c, "load_100_rows", 100, |conn| {
        Account::scoped(&ctx).load::<Account>(conn)
    });
    wall_modes_of(c, "load_10000_rows", 10_000, |conn| {
        Account::scoped(&ctx).load::<Account>(conn)
    });
}

/// The server-side cost of each defence per statement, without the round trip
/// (which dominates a unit of work and drowns them in noise): one statement
/// calls it 1,000 times, beside the same statement calling nothing. Inside a
/// transaction that set the signed tenant, as a unit of work does.
fn wall_functions(c: &mut Criterion) {
    let mut db = postgres_with_rows(1);
    let signed = wall_key().signed_value(TenantId::new(ACME), std::time::Duration::from_secs(3600));
    db.app
        .batch_execute(&format!(
            "BEGIN; SET LOCAL app.tenant_id = '{signed}'; SET LOCAL app.bare_tenant = '1'"
        ))
        .unwrap();
    let mut group = c.benchmark_group("postgres/wall_functions_x1000");
    for (side, call) in [
        ("nothing", "n"),
        ("signed_current_tenant", "tenant_wall.current_tenant()"),
        (
            "unsigned_setting",
            "NULLIF(current_setting('app.bare_tenant', true), '')::bigint",
        ),
    ] {
        let sql = format!("SELECT count({call}) FROM generate_series(1, 1000) AS n");
        group.bench_function(side, |b| b.iter(|| db.app.batch_execute(&sql).unwrap()));
    }
    db.app.batch_execute("ROLLBACK").unwrap();
    // The session check runs before the tenant is set: on a clean connection.
    let sql = "SELECT count((tenant_wall.assert_clean_session() IS NULL)::int) \
               FROM generate_series(1, 1000) AS n";
    group.bench_function("assert_clean_session", |b| {
        b.iter(|| db.app.batch_execute(sql).unwrap())
    });
    group.finish();
}

criterion_group!(
    benches,
    wall_functions,
    wall_modes,
    reads,
    find_by_id,
    scoped_join,
    update_by_id,
    inserts
);
criterion_main!(benches);
