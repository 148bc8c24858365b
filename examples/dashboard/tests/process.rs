//! The dashboard as a server process: who may read its files and how it
//! treats a slow client.
//!
//! These checks run a server in-process (the HTTP tests' harness).

mod common;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use common::{config, Harness};
use dashboard::config::Database;
use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The permission bits of `path`.
fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o7777
}

/// `name mode` for each entry, the mode in octal.
fn octal(files: &BTreeMap<String, u32>) -> String {
    files
        .iter()
        .map(|(name, mode)| format!("{name} {mode:o}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every entry of `dir` with its permission bits, by name.
fn modes(dir: &Path) -> BTreeMap<String, u32> {
    std::fs::read_dir(dir)
        .expect("the directory lists")
        .map(|entry| {
            let entry = entry.expect("an entry");
            (
                entry.file_name().to_string_lossy().into_owned(),
                mode(&entry.path()),
            )
        })
        .collect()
}

/// The demo database's directory is the owner's alone (0700), and so is every
/// file the server made in it (0600): the SQLite database with its `-wal` and
/// `-shm` files, and the audit database. They hold password hashes and the
/// audit log; before, the directory was 0755 and the files 0644.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_data_is_owner_only() {
    let harness = Harness::start(config(Database::DemoSqlite, None)).await;
    // A login writes the audit log; a bad one too.
    harness.login("acme", "alice").await;
    let bad = harness
        .post("acme", "/login", None, "username=alice&password=wrong")
        .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    let dir = harness.server.data_dir().expect("the demo has a data dir");
    let files = modes(dir);
    eprintln!("{} {:o}: {}", dir.display(), mode(dir), octal(&files));
    assert_eq!(mode(dir), 0o700, "the data directory: {:o}", mode(dir));
    for name in [
        "dashboard.db",
        "dashboard.db-wal",
        "dashboard.db-shm",
        "audit.db",
    ] {
        assert!(files.contains_key(name), "no {name} in {files:?}");
    }
    for (name, mode) in &files {
        assert_eq!(*mode, 0o600, "{name} is {mode:o}: {}", octal(&files));
    }
}

/// `DATABASE_URL=sqlite:path`: the database and audit files the server creates
/// are 0600 too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_files_it_creates_are_owner_only() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("data.db");
    let database = Database::Sqlite(path.to_str().expect("a UTF-8 path").to_owned());
    let harness = Harness::start(config(database, None)).await;
    assert!(harness.server.data_dir().is_none());
    harness.login("acme", "alice").await;
    let files = modes(dir.path());
    eprintln!("{}", octal(&files));
    for name in ["data.db", "data.db-wal", "data.db-shm", "data.audit.db"] {
        assert!(files.contains_key(name), "no {name} in {files:?}");
    }
    for (name, mode) in &files {
        assert_eq!(*mode, 0o600, "{name} is {mode:o}: {}", octal(&files));
    }
}

/// A client that sends half a request head and then nothing loses its
/// connection once the header-read timeout (1 s here) has passed, perhaps after a
/// 408; meanwhile a whole request on another connection is served. Before, the
/// connection stayed open for as long as the client liked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_head_that_never_ends_is_cut_off() {
    let timeout = Duration::from_secs(1);
    let mut config = config(Database::DemoSqlite, None);
    config.header_read_timeout = timeout;
    let harness = Harness::start(config).await;

    let mut slow = TcpStream::connect(harness.server.addr)
        .await
        .expect("a connection");
    slow.write_all(b"GET / HTTP/1.1\r\nHost: acme.localhost\r\n")
        .await
        .expect("half a head is sent");
    let started = Instant::now();

    let page = harness.get("acme", "/login", None).await;
    assert_eq!(page.status, StatusCode::OK, "served meanwhile: {page:?}");

    let mut answer = Vec::new();
    let closed = tokio::time::timeout(10 * timeout, async {
        let mut buf = [0u8; 1024];
        loop {
            match slow.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    let elapsed = started.elapsed();
    let answer = String::from_utf8_lossy(&answer);
    eprintln!(
        "closed: {}, after {elapsed:?}, answer {answer:?}",
        closed.is_ok()
    );
    assert!(
        closed.is_ok(),
        "the connection is still open after {elapsed:?} (answer so far: {answer:?})"
    );
    assert!(
        elapsed >= timeout / 2,
        "closed after {elapsed:?}, before the timeout: {answer:?}"
    );
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer:?}"
    );
}

/// Reads from `stream` until `done` says the bytes so far are enough, or the
/// stream ends; at most 30 s.
async fn read_until(stream: &mut TcpStream, done: impl Fn(&[u8]) -> bool) -> String {
    let mut got = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(30), async {
        let mut buf = [0u8; 4096];
        while !done(&got) {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    String::from_utf8_lossy(&got).into_owned()
}

/// The serving loop hands each request its client's address, as
/// `axum::serve` with `into_make_service_with_connect_info` did: handlers (login
/// throttling) extract `ConnectInfo<SocketAddr>`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handlers_see_the_client_address() {
    use axum::extract::ConnectInfo;
    use dashboard::serve::{serve, Limits};

    let router = axum::Router::new().route(
        "/",
        axum::routing::get(
            |ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.to_string() },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let addr = listener.local_addr().expect("its address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let limits = Limits {
        header_read_timeout: Duration::from_secs(10),
    };
    let serving = tokio::spawn(serve(listener, router, limits, async move {
        let _ = stopped.await;
    }));

    let mut stream = TcpStream::connect(addr).await.expect("a connection");
    let local = stream.local_addr().expect("the client's address");
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .expect("a request");
    let answer = read_until(&mut stream, |_| false).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:?}");
    assert!(
        answer.ends_with(&format!("\r\n\r\n{local}")),
        "the handler saw {local}: {answer:?}"
    );

    let _ = stop.send(());
    tokio::time::timeout(Duration::from_secs(10), serving)
        .await
        .expect("serving stops when told")
        .expect("the serving task")
        .expect("serving ends well");
}
