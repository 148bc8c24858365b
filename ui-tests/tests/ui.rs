//! The compile-fail suite: every leak vector and every derive misuse must fail to
//! compile with a message that names the fix. Regenerate the `.stderr` snapshots
//! with `TRYBUILD=overwrite cargo test -p tenant-diesel-ui-tests` and review the diff.
//! A directory or a case alone: name the test, then trybuild's filter, as in
//! `cargo test -p tenant-diesel-ui-tests --test ui -- leak_vectors trybuild=ui/audited/`.

#[test]
fn leak_vectors_and_misuse_do_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*/*.rs");
}

/// The correct versions compile and run. Kept apart: a pass case makes trybuild
/// build every case separately.
#[test]
fn the_scoped_versions_compile_and_run() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/pass/*.rs");
}
