//! The compile-fail suite on MySQL: what MySQL cannot do within one tenant's
//! rows (an upsert, `RETURNING`, a key lock) and Diesel's own MySQL statements
//! on a tenant's connection do not compile, with a message that names the fix.
//! Regenerate the `.stderr` snapshots with
//! `TRYBUILD=overwrite cargo test -p tenant-diesel-ui-tests-mysql` and review the diff.

#[test]
fn what_mysql_cannot_do_safely_does_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
