//! `cargo tenant-report [CRATE_DIR]`: the report as a cargo subcommand, once
//! installed (`cargo install --path report`). Cargo runs
//! `cargo-tenant-report tenant-report ARGS..`; the subcommand's own name is
//! dropped and the rest read as `tenant-diesel-report` reads them.
#![forbid(unsafe_code)]

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args = tenant_diesel_report::cli::without_subcommand_name(&args);
    let code = tenant_diesel_report::run(args, &mut std::io::stdout(), &mut std::io::stderr());
    std::process::exit(code);
}
