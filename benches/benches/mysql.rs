//! The library's cost on MySQL/MariaDB, in the shapes of the SQLite bench: each
//! scoped query beside the hand-written filtered Diesel query, on the same data
//! in the same run, both as the application's user. MySQL has no row-level
//! security, so a scoped statement runs alone, as Diesel runs it (no
//! transaction around it), and its SQL is the hand-written query's
//! (`tests/tests/mysql_sql_shape.rs`): any difference is the wrapper's overhead
//! or noise.
//!
//! Starts its own MariaDB (the tests' harness: a temporary data directory, a
//! unix socket, no TCP port), stopped when the bench ends.
//!
//! `cargo bench -p tenant-diesel-benches --bench mysql`

use criterion::{criterion_group, criterion_main, Criterion};
use tenant_diesel_benches::mysql::{database, shapes};
use tenant_diesel_benches::shapes::bench_shapes;

fn all_shapes(c: &mut Criterion) {
    bench_shapes(c, "mysql", shapes(), database);
}

criterion_group!(benches, all_shapes);
criterion_main!(benches);
