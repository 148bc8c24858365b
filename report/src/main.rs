//! `tenant-diesel-report [CRATE_DIR]`: see the library docs and `--help`.
#![forbid(unsafe_code)]

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = tenant_diesel_report::run(&args, &mut std::io::stdout(), &mut std::io::stderr());
    std::process::exit(code);
}
