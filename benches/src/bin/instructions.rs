//! Runs one side of one SQLite shape `ITERATIONS` times inside `measured`, so that
//! callgrind can count the instructions of exactly that loop:
//!
//! `valgrind --tool=callgrind --toggle-collect='*measured*' target/release/instructions <shape> <hand_written|scoped>`
//!
//! `scripts/bench-instructions.sh` runs every shape both ways and prints the ratios.

use tenant_diesel::prelude::*;
use tenant_diesel_benches::sqlite::{database, shapes, Shape};
use tenant_diesel_tests::{ctx, ACME};

/// Iterations per run: enough to drown the first call's statement preparation.
const ITERATIONS: i64 = 50;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [shape_name, side] = args.as_slice() else {
        panic!("usage: instructions <shape> <hand_written|scoped>");
    };
    let shape = shapes()
        .into_iter()
        .find(|shape| shape.name == shape_name)
        .unwrap_or_else(|| panic!("no shape named {shape_name}"));
    let mut raw = database(shape.rows);
    measured(&shape, side, &mut raw);
}

#[inline(never)]
fn measured(shape: &Shape, side: &str, raw: &mut SqliteConnection) {
    let ctx = ctx(ACME);
    match side {
        "hand_written" => (0..ITERATIONS).for_each(|i| (shape.hand_written)(raw, i)),
        "scoped" => {
            let mut conn = TenantConn::new(raw, &ctx);
            (0..ITERATIONS).for_each(|i| (shape.scoped)(&mut conn, &ctx, i));
        }
        other => panic!("no side named {other}"),
    }
}
