//! The benchmark shapes, written once for every backend without a database wall
//! (SQLite, MySQL): each shape by hand with Diesel and scoped, and the criterion
//! loop that times both on the same data in the same run.
//!
//! The shapes are written by a macro per connection type rather than generically:
//! a generic version would need the library's sealed query traits in its bounds,
//! one bound per query. The tests crate writes its backend suites the same way.

use criterion::Criterion;
use tenant_diesel::prelude::*;
use tenant_diesel::RawConnection;
use tenant_diesel_tests::{ctx, NewAccount, ACME};

/// One shape on connections of type `C`: how to set up its data, and its two
/// versions. `iteration` lets inserts use fresh ids.
pub struct Shape<C: 'static> {
    /// `load_100_rows`, `find_by_id`, ...
    pub name: &'static str,
    /// Accounts per tenant in the set-up.
    pub rows: i64,
    /// The hand-written Diesel version.
    pub hand_written: fn(&mut C, i64),
    /// The scoped version.
    pub scoped: fn(&mut TenantConn<&mut C>, &TenantCtx, i64),
}

/// Times every shape both ways, each side on a database of its own made by
/// `database(rows)`, in the criterion groups `<backend>/<shape>`.
pub fn bench_shapes<C: 'static>(
    c: &mut Criterion,
    backend: &str,
    shapes: Vec<Shape<C>>,
    database: impl Fn(i64) -> C,
) where
    for<'a> &'a mut C: RawConnection,
{
    let ctx = ctx(ACME);
    for shape in shapes {
        let mut group = c.benchmark_group(format!("{backend}/{}", shape.name));
        let iteration = std::cell::Cell::new(0_i64);
        let next = || {
            iteration.set(iteration.get() + 1);
            iteration.get()
        };
        let mut raw = database(shape.rows);
        group.bench_function("hand_written", |b| {
            b.iter(|| (shape.hand_written)(&mut raw, next()))
        });
        let mut raw = database(shape.rows);
        group.bench_function("scoped", |b| {
            let mut conn = TenantConn::new(&mut raw, &ctx);
            b.iter(|| (shape.scoped)(&mut conn, &ctx, next()))
        });
        group.finish();
    }
}

/// `count` new accounts with ids no earlier iteration used.
pub fn new_rows(iteration: i64, count: i64) -> Vec<NewAccount> {
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

/// Writes, in the calling module, `shapes()`: every shape of issue #8 on
/// connections of type `$conn` (a path that resolves from any module): loads of
/// 1, 100 and 10,000 rows, find by id, a scoped join, inserts of 1 and 100 rows,
/// update by id.
macro_rules! shapes_on {
    ($conn:ty) => {
        pub use written::shapes;

        mod written {
            use tenant_diesel::prelude::*;
            use tenant_diesel_tests::{accounts, invoices, Account, Invoice, ACME};

            use $crate::shapes::{new_rows, Shape};

            type Raw = $conn;

            fn load_hand(raw: &mut Raw, _: i64) {
                let rows: Vec<Account> = diesel::RunQueryDsl::load(
                    accounts::table.filter(accounts::tenant_id.eq(ACME)),
                    raw,
                )
                .unwrap();
                std::hint::black_box(rows);
            }

            fn load_scoped(conn: &mut TenantConn<&mut Raw>, ctx: &TenantCtx, _: i64) {
                let rows: Vec<Account> = Account::scoped(ctx).load(conn).unwrap();
                std::hint::black_box(rows);
            }

            fn find_hand(raw: &mut Raw, _: i64) {
                let row: Account = diesel::RunQueryDsl::first(
                    accounts::table
                        .filter(accounts::tenant_id.eq(ACME))
                        .find(42),
                    raw,
                )
                .unwrap();
                std::hint::black_box(row);
            }

            fn find_scoped(conn: &mut TenantConn<&mut Raw>, ctx: &TenantCtx, _: i64) {
                let row: Account = Account::scoped(ctx).find(42).first(conn).unwrap();
                std::hint::black_box(row);
            }

            fn join_hand(raw: &mut Raw, _: i64) {
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

            fn join_scoped(conn: &mut TenantConn<&mut Raw>, ctx: &TenantCtx, _: i64) {
                let rows: Vec<(Invoice, String)> = Invoice::scoped(ctx)
                    .inner_join(accounts::table)
                    .filter(accounts::balance.gt(0))
                    .order(invoices::amount.desc())
                    .select((Invoice::as_select(), accounts::name))
                    .load(conn)
                    .unwrap();
                std::hint::black_box(rows);
            }

            // Both sides send one multi-row `INSERT` without `RETURNING`, which
            // MySQL does not have.
            fn insert_hand(raw: &mut Raw, iteration: i64, count: i64) {
                let rows = new_rows(iteration, count);
                let stamped: Vec<_> = rows
                    .iter()
                    .map(|row| (accounts::tenant_id.eq(ACME), row))
                    .collect();
                diesel::RunQueryDsl::execute(
                    diesel::insert_into(accounts::table).values(stamped),
                    raw,
                )
                .unwrap();
            }

            fn insert_scoped(
                conn: &mut TenantConn<&mut Raw>,
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

            fn update_hand(raw: &mut Raw, iteration: i64) {
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

            fn update_scoped(conn: &mut TenantConn<&mut Raw>, ctx: &TenantCtx, iteration: i64) {
                Account::scoped(ctx)
                    .update(42)
                    .set_column(accounts::balance, iteration)
                    .execute(conn)
                    .unwrap();
            }

            /// Every shape of issue #8: loads of 1, 100 and 10,000 rows, find by
            /// id, a scoped join, inserts of 1 and 100 rows, update by id.
            pub fn shapes() -> Vec<Shape<Raw>> {
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
        }
    };
}
pub(crate) use shapes_on;
