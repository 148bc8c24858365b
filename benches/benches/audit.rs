//! What the audit log costs a server: the same request, unaudited and audited,
//! measured in one run.
//!
//! A request here is database work on a pooled SQLite connection (the blocking
//! pool of a two-thread tokio runtime, 64 requests in flight): a scoped find by
//! id and a scoped load of the tenant's 100 rows, done once or twelve times:
//! - `light` (once, about 0.2 ms of CPU): what the dashboard's
//!   `POST /dashboard/select` does with its database, without HTTP, sessions or
//!   templates, so the audit log's share is far larger than in a real server
//!   (a floor);
//! - `dashboard_sized` (twelve times, about 2.5 ms): the cost of a whole
//!   dashboard request (the dashboard serves about 380 requests a second on
//!   these two cores, 2.6 ms of CPU each).
//!
//! The audited variants write one event per request, before the query, to a
//! `DieselAuditSink` on an SQLite file on disk (write-ahead journal,
//! `synchronous = FULL`: every acknowledged event is durable):
//! - `queued`: `Auditor::queued`, the request awaiting `record_action_async`
//!   (the writer thread writes what waits in one transaction);
//! - `inline`: `Auditor::new`, the request calling `record_action` on the async
//!   worker, which is what the dashboard did before the queue.
//!
//! `cargo bench -p tenant-diesel-benches --bench audit`; throughput is in
//! requests per second (criterion's `elem/s`).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use diesel::sqlite::SqliteConnection;
use tenant_diesel::audit::{Auditor, DieselAuditSink, QueueSettings};
use tenant_diesel::prelude::*;
use tenant_diesel::TenantCtx;
use tenant_diesel_benches::sqlite::{database, shapes, Shape};
use tenant_diesel_tests::{ctx, ACME};

/// Requests per measured batch, and how many are in flight at once.
const REQUESTS: usize = 256;
const IN_FLIGHT: usize = 64;
/// The connection pool's size.
const POOL: usize = 4;

/// How a request is audited.
#[derive(Clone)]
enum Audit {
    Not,
    Queued(Auditor),
    Inline(Auditor),
}

/// What every request shares: the connections and the query shapes.
struct Server {
    connections: Mutex<Vec<SqliteConnection>>,
    /// One permit per pooled connection: a request waits for a connection as
    /// it would on a pool.
    pool: tokio::sync::Semaphore,
    find: Shape,
    load: Shape,
    ctx: TenantCtx,
    /// How many times a request does its find and load.
    repeats: usize,
}

impl Server {
    /// A server whose requests do their find and load `repeats` times.
    fn new(repeats: usize) -> Self {
        let mut shapes = shapes();
        let take = |shapes: &mut Vec<Shape>, name| {
            let at = shapes.iter().position(|s| s.name == name).unwrap();
            shapes.remove(at)
        };
        let find = take(&mut shapes, "find_by_id");
        let load = take(&mut shapes, "load_100_rows");
        Self {
            connections: Mutex::new((0..POOL).map(|_| database(100)).collect()),
            pool: tokio::sync::Semaphore::new(POOL),
            find,
            load,
            ctx: ctx(ACME),
            repeats,
        }
    }

    /// The request's database work, on a pooled connection.
    fn query(&self, n: i64) {
        let mut conn = self.connections.lock().unwrap().pop().unwrap();
        {
            let mut scoped = TenantConn::new(&mut conn, &self.ctx);
            for _ in 0..self.repeats {
                (self.find.scoped)(&mut scoped, &self.ctx, n);
                (self.load.scoped)(&mut scoped, &self.ctx, n);
            }
        }
        self.connections.lock().unwrap().push(conn);
    }
}

async fn request(server: Arc<Server>, audit: Audit, n: i64) {
    match &audit {
        Audit::Not => {}
        Audit::Queued(auditor) => auditor
            .record_action_async(&server.ctx, "select_account", Some(&n))
            .await
            .unwrap(),
        Audit::Inline(auditor) => auditor
            .record_action(&server.ctx, "select_account", Some(&n))
            .unwrap(),
    }
    let connection = server.pool.acquire().await.unwrap();
    let query = {
        let server = server.clone();
        tokio::task::spawn_blocking(move || server.query(n))
    };
    query.await.unwrap();
    drop(connection);
}

/// Runs `REQUESTS` requests, `IN_FLIGHT` at a time; how long they took.
fn batch(runtime: &tokio::runtime::Runtime, server: &Arc<Server>, audit: &Audit) -> Duration {
    runtime.block_on(async {
        let start = Instant::now();
        let permits = Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
        let mut tasks = Vec::with_capacity(REQUESTS);
        for n in 0..REQUESTS {
            let permit = permits.clone().acquire_owned().await.unwrap();
            let (server, audit) = (server.clone(), audit.clone());
            tasks.push(tokio::spawn(async move {
                request(server, audit, n as i64).await;
                drop(permit);
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        start.elapsed()
    })
}

fn audited_requests(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let sink = |name: &str| {
        let path = dir.path().join(name);
        Arc::new(DieselAuditSink::<SqliteConnection>::open(path.to_str().unwrap()).unwrap())
    };
    let (queued, _writer) = Auditor::queued(sink("queued.db"), QueueSettings::default()).unwrap();
    let variants = [
        ("unaudited", Audit::Not),
        ("queued", Audit::Queued(queued)),
        ("inline", Audit::Inline(Auditor::new(sink("inline.db")))),
    ];
    for (size, repeats) in [("light", 1), ("dashboard_sized", 12)] {
        let server = Arc::new(Server::new(repeats));
        let mut group = c.benchmark_group(format!("audit/{size}_{IN_FLIGHT}_in_flight"));
        group.throughput(Throughput::Elements(REQUESTS as u64));
        group.sample_size(10);
        for (name, audit) in &variants {
            group.bench_function(*name, |b| {
                b.iter_custom(|iterations| {
                    (0..iterations)
                        .map(|_| batch(&runtime, &server, audit))
                        .sum()
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, audited_requests);
criterion_main!(benches);
