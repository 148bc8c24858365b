//! `cargo run -p dashboard`: serves the demo tenants and prints where to find them.
#![forbid(unsafe_code)]

use std::process::ExitCode;

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
        server.app.store.kind()
    );
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
    match server.wait().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dashboard: {e}");
            ExitCode::FAILURE
        }
    }
}
