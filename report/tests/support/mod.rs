//! Helpers shared by the report's tests: fixtures, scanning, running the binary.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

use tenant_diesel_report::{scan_crate, Finding, Kind, Severity};

/// The fixture crate `name` (under `tests/fixtures`).
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The findings of the fixture `name`.
pub fn scan(name: &str) -> Vec<Finding> {
    scan_crate(&fixture(name)).expect("the fixture parses")
}

/// The findings of `kind`.
pub fn of_kind(findings: &[Finding], kind: Kind) -> Vec<&Finding> {
    findings.iter().filter(|f| f.kind == kind).collect()
}

/// The one finding of `kind` whose detail contains `needle`.
pub fn find<'f>(findings: &'f [Finding], kind: Kind, needle: &str) -> &'f Finding {
    let matching: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.kind == kind && f.detail.contains(needle))
        .collect();
    assert_eq!(
        matching.len(),
        1,
        "one {kind:?} finding with {needle:?}, in {findings:#?}"
    );
    matching[0]
}

/// Whether a finding has the severity.
pub fn is(finding: &Finding, severity: Severity) -> bool {
    finding.severity == severity
}

/// Runs the binary with `args`.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tenant-diesel-report"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// The exit code of a run.
pub fn code(output: &Output) -> i32 {
    output.status.code().expect("an exit code")
}

/// The standard output of a run, as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}
