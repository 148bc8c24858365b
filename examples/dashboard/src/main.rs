//! `cargo run -p dashboard`: serves the demo tenants and prints where to find them.
//!
//! SIGTERM or SIGINT (Ctrl-C) shuts it down gracefully: it stops accepting,
//! finishes the requests in flight, removes the demo database and exits 0.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use tokio::signal::unix::{signal, Signal, SignalKind};

use dashboard::config::Config;
use dashboard::seed::{TENANTS, USERS};

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("dashboard: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Before anything is served, so that a signal from then on shuts down
    // gracefully instead of killing the process and leaving the data behind.
    let signals = match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) {
        (Ok(terminate), Ok(interrupt)) => (terminate, interrupt),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("dashboard: cannot handle signals: {e}");
            return ExitCode::FAILURE;
        }
    };
    let server = match dashboard::start(config).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("dashboard: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "dashboard on {} ({}, {} store)",
        server.addr,
        server.app.db.kind(),
        server.app.store_kind
    );
    if let Some(dir) = server.data_dir() {
        println!("data in {}", dir.display());
    }
    for (_, slug, name, _) in TENANTS {
        println!("  {name:<12} {}/dashboard/", server.url(slug));
    }
    println!(
        "  {:<12} {}/   (the apex redirects here)",
        "www",
        server.url("www")
    );
    println!("  {:<12} {}/admin", "admin", server.url("www"));
    println!("demo logins (username / password):");
    for (_, username, password, staff, member_of) in USERS {
        let of: Vec<&str> = member_of
            .iter()
            .filter_map(|id| TENANTS.iter().find(|t| t.0 == *id).map(|t| t.1))
            .collect();
        let role = if staff {
            "staff, admin page".to_owned()
        } else {
            format!("member of {}", of.join(" and "))
        };
        println!("  {username} / {password}   ({role})");
    }
    match server.run_until(shutdown_signal(signals)).await {
        Ok(()) => {
            eprintln!("dashboard: stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("dashboard: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Completes on the first SIGTERM or SIGINT.
async fn shutdown_signal((mut terminate, mut interrupt): (Signal, Signal)) {
    let name = tokio::select! {
        _ = terminate.recv() => "SIGTERM",
        _ = interrupt.recv() => "SIGINT",
    };
    eprintln!("dashboard: {name}, shutting down");
}
