//! The compile-fail suite: every leak vector and every derive misuse must fail to
//! compile with a message that names the fix. Regenerate the `.stderr` snapshots
//! with `TRYBUILD=overwrite cargo test -p tenant-diesel-ui-tests` and review the diff.
//!
//! `UI_FILTER=word1,word2` runs only the cases whose path contains one of the words
//! (e.g. `UI_FILTER=raw/,boxed_subquery cargo test -p tenant-diesel-ui-tests --test ui
//! leak_vectors`), to check a few cases without building all.

/// The cases to run: every `.rs` in `tests/ui/*/`, or only those `UI_FILTER` names.
fn cases() -> Vec<std::path::PathBuf> {
    let filter = std::env::var("UI_FILTER").unwrap_or_default();
    let words: Vec<&str> = filter.split(',').filter(|w| !w.is_empty()).collect();
    let mut cases = Vec::new();
    for dir in std::fs::read_dir("tests/ui").expect("tests/ui").flatten() {
        let Ok(files) = std::fs::read_dir(dir.path()) else {
            continue;
        };
        for file in files.flatten() {
            let path = file.path();
            let shown = path.to_string_lossy().replace('\\', "/");
            if path.extension().is_some_and(|e| e == "rs")
                && (words.is_empty() || words.iter().any(|w| shown.contains(w)))
            {
                cases.push(path);
            }
        }
    }
    cases.sort();
    cases
}

#[test]
fn leak_vectors_and_misuse_do_not_compile() {
    let cases = trybuild::TestCases::new();
    for case in self::cases() {
        cases.compile_fail(case);
    }
}

/// The correct versions compile and run. Kept apart: a pass case makes trybuild
/// build every case separately.
#[test]
fn the_scoped_versions_compile_and_run() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/pass/*.rs");
}
