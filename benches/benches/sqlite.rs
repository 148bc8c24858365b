//! The wall's cost on SQLite in memory, in the shapes of Diesel's own benchmarks:
//! each scoped query beside the hand-written filtered Diesel query on the same data,
//! in the same run. The SQL is identical (the tests check it), so any difference is
//! overhead of the wrapper. For figures a noisy machine cannot move, count
//! instructions instead: `scripts/bench-instructions.sh`.
//!
//! `cargo bench -p tenant-diesel-benches --bench sqlite`

use criterion::{criterion_group, criterion_main, Criterion};
use tenant_diesel_benches::shapes::bench_shapes;
use tenant_diesel_benches::sqlite::{database, shapes};

fn all_shapes(c: &mut Criterion) {
    bench_shapes(c, "sqlite", shapes(), database);
}

criterion_group!(benches, all_shapes);
criterion_main!(benches);
