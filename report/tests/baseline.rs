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

#[test]
fn a_hand_written_seal_added_after_review_fails_the_baseline_check_and_is_named() {
    // Before: a copy of the reviewed crate passes its baseline.
    let (_dir, baseline) = write_baseline("base");
    let copy = tempfile::tempdir().unwrap();
    std::fs::create_dir(copy.path().join("src")).unwrap();
    let lib = copy.path().join("src/lib.rs");
    std::fs::copy(fixture("base").join("src/lib.rs"), &lib).unwrap();
    let root = copy.path().to_str().unwrap();
    let before = run(&[root, "--baseline", &baseline]);
    assert_eq!(code(&before), 0, "{}", stdout(&before));
    // After: a pull request adds a seal by hand, through a renamed import.
    let mut text = std::fs::read_to_string(&lib).unwrap();
    text.push_str(
        "\nmod sneaky {\n    use tenant_diesel::__private::ImplementedByTenantDieselOnly as Checked;\n    impl Checked for crate::accounts::table {}\n}\n",
    );
    std::fs::write(&lib, text).unwrap();
    let after = run(&[root, "--baseline", &baseline]);
    assert_eq!(code(&after), 1, "an error finding: {}", stdout(&after));
    let out = stdout(&after);
    let new: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("new or changed hatch: library-impl:src/lib.rs:"))
        .collect();
    assert_eq!(new.len(), 1, "{out}");
    assert!(
        new[0].contains(
            "(error): impl Checked (`ImplementedByTenantDieselOnly`) for crate::accounts::table"
        ),
        "{out}"
    );
}
