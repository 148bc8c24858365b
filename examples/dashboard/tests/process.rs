//! The dashboard as a server process: who may read its files.
//!
//! These checks run a server in-process (the HTTP tests' harness).

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::{config, Harness};
use dashboard::config::Database;
use reqwest::StatusCode;

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
