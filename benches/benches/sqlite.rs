//! The wall's cost on SQLite in memory, in the shapes of Diesel's own benchmarks:
//! each scoped query beside the hand-written filtered Diesel query on the same data,
//! in the same run. The SQL is identical (the tests check it), so any difference is
//! overhead of the wrapper. For figures a noisy machine cannot move, count
//! instructions instead: `scripts/bench-instructions.sh`.
//!
//! `cargo bench -p tenant-diesel-benches --bench sqlite`

use std::cell::Cell;

use criterion::{criterion_group, criterion_main, Criterion};
use tenant_diesel::prelude::*;
use tenant_diesel_benches::sqlite::{database, shapes};
use tenant_diesel_tests::{ctx, ACME};

fn all_shapes(c: &mut Criterion) {
    let ctx = ctx(ACME);
    for shape in shapes() {
        let mut group = c.benchmark_group(format!("sqlite/{}", shape.name));
        let iteration = Cell::new(0_i64);
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

criterion_group!(benches, all_shapes);
criterion_main!(benches);
