//! The bans of the workspace's `clippy.toml` fire: clippy runs on
//! `ui-tests/lint-probes`, a crate outside the workspace with one probe per ban in
//! a file of its own, and every probe must draw its ban while the clean file draws
//! nothing.

use std::path::Path;
use std::process::Command;

/// Each probe file and the ban it must draw.
const PROBES: [(&str, &str); 8] = [
    ("sql_literal.rs", "disallowed method `diesel::dsl::sql`"),
    ("sql_query.rs", "disallowed method `diesel::sql_query`"),
    (
        "into_boxed.rs",
        "disallowed method `diesel::query_dsl::QueryDsl::into_boxed`",
    ),
    (
        "internal_into_boxed.rs",
        "disallowed method `diesel::query_dsl::methods::BoxedDsl::internal_into_boxed`",
    ),
    (
        "define_sql_function.rs",
        "disallowed macro `diesel::define_sql_function`",
    ),
    ("sql_function.rs", "disallowed macro `diesel::sql_function`"),
    (
        "infix_operator.rs",
        "disallowed macro `diesel::infix_operator`",
    ),
    (
        "push_sql.rs",
        "disallowed method `diesel::query_builder::AstPass::push_sql`",
    ),
];

#[test]
fn every_ban_of_clippy_toml_fires_on_its_probe() {
    let ui_tests = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = ui_tests.parent().expect("the workspace");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "clippy",
            "--quiet",
            "--message-format=short",
            "--manifest-path",
        ])
        .arg(ui_tests.join("lint-probes/Cargo.toml"))
        .arg("--target-dir")
        .arg(workspace.join("target/lint-probes"))
        // The workspace's own clippy.toml: the file applications copy.
        .env("CLIPPY_CONF_DIR", workspace)
        .output()
        .expect("run cargo clippy (rustup component clippy)");
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(
        !report.contains("error"),
        "the probes must compile, only draw warnings:\n{report}"
    );
    for (file, ban) in PROBES {
        let fired = report
            .lines()
            .any(|line| line.starts_with(&format!("src/{file}:")) && line.contains(ban));
        assert!(fired, "`{ban}` did not fire on src/{file}:\n{report}");
    }
    assert!(
        !report.lines().any(|line| line.starts_with("src/clean.rs:")),
        "the clean probe drew a warning, so the bans fire on everything:\n{report}"
    );
}
