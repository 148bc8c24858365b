//! Baselines: reviewed ids pass, a new hatch fails with exit 2, line shifts keep ids.

mod support;

use support::{code, fixture, run, scan, stdout};

fn write_baseline(name: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baseline.json");
    let path = path.to_str().unwrap().to_owned();
    let output = run(&[fixture(name).to_str().unwrap(), "--write-baseline", &path]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    (dir, path)
}

#[test]
fn a_baseline_written_from_a_crate_passes_on_it() {
    let (_dir, baseline) = write_baseline("base");
    let ids: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert_eq!(ids.len(), 5);
    let output = run(&[fixture("base").to_str().unwrap(), "--baseline", &baseline]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    assert!(stdout(&output).contains("no new hatches"));
}

#[test]
fn an_added_hatch_fails_with_2_and_is_named() {
    let (_dir, baseline) = write_baseline("base");
    let output = run(&[fixture("added").to_str().unwrap(), "--baseline", &baseline]);
    assert_eq!(code(&output), 2, "{}", stdout(&output));
    let text = stdout(&output);
    let new: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("new or changed hatch: "))
        .collect();
    assert_eq!(new.len(), 1, "{text}");
    assert!(
        new[0].contains("migration: backfill every tenant"),
        "{text}"
    );
    assert!(new[0].contains("src/lib.rs:18"), "{text}");
}

#[test]
fn stable_ids_do_not_change_when_lines_shift() {
    let base = scan("base");
    let shifted = scan("shifted");
    let ids = |findings: &[tenant_diesel_report::Finding]| {
        findings.iter().map(|f| f.id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(ids(&base), ids(&shifted));
    assert_ne!(
        base.iter().map(|f| f.line).collect::<Vec<_>>(),
        shifted.iter().map(|f| f.line).collect::<Vec<_>>()
    );
    let (_dir, baseline) = write_baseline("base");
    let output = run(&[
        fixture("shifted").to_str().unwrap(),
        "--baseline",
        &baseline,
    ]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
}

#[test]
fn a_baseline_that_is_not_a_list_of_ids_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baseline.json");
    std::fs::write(&path, "{\"ids\": 1}").unwrap();
    let output = run(&[
        fixture("base").to_str().unwrap(),
        "--baseline",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code(&output), 3);
}

#[test]
fn reviewed_hatches_no_longer_found_are_named_but_pass() {
    let (_dir, baseline) = write_baseline("added");
    let output = run(&[fixture("base").to_str().unwrap(), "--baseline", &baseline]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    let text = stdout(&output);
    let gone: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("hatch no longer found"))
        .collect();
    assert_eq!(gone.len(), 1, "{text}");
    assert!(gone[0].contains("admin-ctx:src/lib.rs:migrate:"), "{text}");
}
