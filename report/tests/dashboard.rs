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
