//! The Markdown and JSON reports, as the binary prints them.

mod support;

use support::{code, fixture, run, stdout};

#[test]
fn markdown_is_the_default_grouped_by_kind_with_locations_and_reasons() {
    let output = run(&[fixture("base").to_str().unwrap()]);
    assert_eq!(code(&output), 0);
    let text = stdout(&output);
    assert!(text.starts_with("## Escape hatches in `"), "{text}");
    assert!(
        text.contains("5 findings: 0 error(s), 3 warning(s), 2 info."),
        "{text}"
    );
    assert!(
        text.contains("### Admin contexts (`AdminCtx::new`, `AdminCtx::new_async`) (1)"),
        "{text}"
    );
    assert!(
        text.contains("### Disallowed calls (raw SQL, boxing, SQL text) (3)"),
        "{text}"
    );
    assert!(
        text.contains("| info | `src/lib.rs:8` | `support` | reason \"support: list every tenant\", actor `staff` |"),
        "{text}"
    );
    let admin = text.find("### Admin contexts").unwrap();
    let tables = text.find("### Global tables").unwrap();
    assert!(admin < tables, "kinds in report order: {text}");
}

#[test]
fn json_lists_every_finding_with_its_stable_id() {
    let output = run(&["--format", "json", fixture("base").to_str().unwrap()]);
    assert_eq!(code(&output), 0);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let findings = report["findings"].as_array().expect("a list of findings");
    assert_eq!(findings.len(), 5);
    let admin = findings
        .iter()
        .find(|f| f["kind"] == "admin-ctx")
        .expect("the admin context");
    assert_eq!(admin["severity"], "info");
    assert_eq!(admin["file"], "src/lib.rs");
    assert_eq!(admin["line"], 8);
    assert_eq!(admin["function"], "support");
    let id = admin["id"].as_str().unwrap();
    assert!(id.starts_with("admin-ctx:src/lib.rs:support:"), "{id}");
    assert!(id.ends_with("#0"), "{id}");
    let boxed: Vec<&str> = findings
        .iter()
        .filter(|f| f["detail"].as_str().unwrap().contains("into_boxed"))
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(boxed.len(), 2);
    assert!(
        boxed[0].ends_with("#0") && boxed[1].ends_with("#1"),
        "{boxed:?}"
    );
}

#[test]
fn error_findings_exit_with_1() {
    let output = run(&[fixture("admin").to_str().unwrap()]);
    assert_eq!(code(&output), 1);
    assert!(stdout(&output).contains("5 error(s)"));
}

#[test]
fn usage_io_and_parse_errors_exit_with_3() {
    assert_eq!(code(&run(&["--format", "yaml", "."])), 3);
    assert_eq!(code(&run(&["--bogus"])), 3);
    assert_eq!(code(&run(&["/no/such/crate"])), 3);
    let broken = tempfile::tempdir().unwrap();
    std::fs::create_dir(broken.path().join("src")).unwrap();
    std::fs::write(broken.path().join("src/lib.rs"), "fn broken( {").unwrap();
    let output = run(&[broken.path().to_str().unwrap()]);
    assert_eq!(code(&output), 3);
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot parse"));
}

#[test]
fn help_documents_the_exit_codes() {
    let output = run(&["--help"]);
    assert_eq!(code(&output), 0);
    let text = stdout(&output);
    for line in [
        "0  clean",
        "1  error findings",
        "2  new or changed hatches",
        "3  usage",
    ] {
        assert!(text.contains(line), "{text}");
    }
}

#[test]
fn cargo_runs_the_installed_binary_as_cargo_tenant_report() {
    // Cargo finds `cargo-tenant-report` on the PATH and runs it with the
    // subcommand's name first, as it would once installed.
    let binary = std::path::Path::new(env!("CARGO_BIN_EXE_cargo-tenant-report"));
    let mut path = vec![binary.parent().unwrap().to_path_buf()];
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args([
            "tenant-report",
            fixture("base").to_str().unwrap(),
            "--format",
            "json",
        ])
        .env("PATH", std::env::join_paths(path).unwrap())
        .output()
        .expect("cargo runs");
    assert_eq!(
        code(&output),
        0,
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let direct = run(&[fixture("base").to_str().unwrap(), "--format", "json"]);
    assert_eq!(stdout(&output), stdout(&direct));
}
