//! The example dashboard's hatches are all in its committed baseline.

mod support;

use support::{code, run, stdout};

#[test]
fn the_dashboard_has_no_hatch_outside_its_baseline() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/dashboard");
    let baseline = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/dashboard/escape-hatches.json"
    );
    let output = run(&[root, "--baseline", baseline]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
}

#[test]
fn the_dashboard_report_names_its_admin_reason() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/dashboard");
    let output = run(&[root]);
    assert_eq!(code(&output), 0);
    let text = stdout(&output);
    assert!(
        text.contains("reason \"support: every tenant and its account count, on the admin page\""),
        "{text}"
    );
}

#[test]
fn the_readme_quotes_the_dashboards_report_as_it_is_printed() {
    let workspace = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    // Run from the workspace root, as the README's command is.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tenant-diesel-report"))
        .arg("examples/dashboard")
        .current_dir(workspace)
        .output()
        .expect("the binary runs");
    assert_eq!(code(&output), 0);
    let printed = stdout(&output);
    let readme = std::fs::read_to_string(format!("{workspace}/README.md")).unwrap();
    let start = readme
        .find("## Escape hatches in `examples/dashboard`")
        .expect("the README quotes the dashboard's report");
    let quoted = &readme[start..start + readme[start..].find("```").unwrap()];
    assert_eq!(
        quoted.trim_end(),
        printed.trim_end(),
        "the README's copy of the report is stale: paste what the command prints"
    );
}
