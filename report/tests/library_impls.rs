//! Hand-written impls of the library's traits, and the wall's settings.

mod support;

use support::{code, find, fixture, is, of_kind, run, scan, stdout};
use tenant_diesel_report::{Kind, Severity};

#[test]
fn the_seal_written_by_hand_is_an_error_under_a_use_or_through_a_facade() {
    let findings = scan("library_impls");
    let imported = find(
        &findings,
        Kind::LibraryImpl,
        "impl ImplementedByTenantDieselOnly for accounts::table",
    );
    assert!(is(imported, Severity::Error), "{imported:?}");
    assert!(imported.detail.contains("the seal written by hand"));
    assert_eq!(imported.line, 14);
    let facade = find(
        &findings,
        Kind::LibraryImpl,
        "facade::td_reexport::__private",
    );
    assert!(is(facade, Severity::Error), "{facade:?}");
}

#[test]
fn a_sealed_trait_by_hand_is_an_error_also_inside_a_macro_invocation() {
    let findings = scan("library_impls");
    let table = find(&findings, Kind::LibraryImpl, "impl td::TenantTable for");
    assert!(is(table, Severity::Error), "{table:?}");
    assert!(table.detail.contains("a sealed trait written by hand"));
    let in_macro = find(&findings, Kind::LibraryImpl, "TableKind");
    assert!(is(in_macro, Severity::Error), "{in_macro:?}");
    assert_eq!(in_macro.line, 34);
}

#[test]
fn an_unsealed_library_trait_is_a_warning_under_a_rename_in_a_nested_module() {
    let findings = scan("library_impls");
    let renamed = find(&findings, Kind::LibraryImpl, "(`ForeignKeyTo`)");
    assert!(is(renamed, Severity::Warning), "{renamed:?}");
    assert!(renamed.detail.starts_with("impl Points"), "{renamed:?}");
    assert_eq!(renamed.line, 25);
    // `td` is the library only because the fixture's Cargo.toml renames it.
    let wall = find(&findings, Kind::LibraryImpl, "td::DatabaseWall");
    assert!(is(wall, Severity::Warning), "{wall:?}");
}

#[test]
fn an_extension_point_through_a_glob_import_is_listed_for_review() {
    let findings = scan("library_impls");
    let store = find(
        &findings,
        Kind::LibraryImpl,
        "impl KeyValueStore for MyStore",
    );
    assert!(is(store, Severity::Info), "{store:?}");
}

#[test]
fn the_applications_own_traits_with_library_names_are_not_reported() {
    let findings = scan("library_impls");
    let impls = of_kind(&findings, Kind::LibraryImpl);
    assert!(
        impls
            .iter()
            .all(|f| !f.detail.contains("for Local") && !f.detail.contains("RunQueryDsl")),
        "{impls:#?}"
    );
    assert_eq!(impls.len(), 7, "{impls:#?}");
}

#[test]
fn an_actor_with_a_constant_id_and_an_audit_sink_that_keeps_nothing_are_warnings() {
    let findings = scan("library_impls");
    let actor = find(&findings, Kind::TrustImpl, "`actor_id` returns a constant");
    assert!(is(actor, Severity::Warning), "{actor:?}");
    let sink = find(
        &findings,
        Kind::TrustImpl,
        "`record` returns a constant: `Ok(())`",
    );
    assert!(is(sink, Severity::Warning), "{sink:?}");
}

#[test]
fn every_with_setting_of_the_wall_is_listed_with_its_setting() {
    let findings = scan("library_impls");
    let settings = of_kind(&findings, Kind::WallSetting);
    assert_eq!(settings.len(), 2, "{settings:#?}");
    let conn = find(&findings, Kind::WallSetting, "`TenantConn::with_setting`");
    assert!(conn.detail.contains("signed_with(key)"), "{conn:?}");
    assert_eq!(conn.function.as_deref(), Some("connections"));
    let renamed = find(&findings, Kind::WallSetting, "`Db::with_setting`");
    assert!(renamed.detail.contains("\"app.org\""), "{renamed:?}");
}

#[test]
fn hand_written_seals_fail_the_run() {
    let output = run(&[fixture("library_impls").to_str().unwrap()]);
    assert_eq!(code(&output), 1, "{}", stdout(&output));
    assert!(stdout(&output).contains("### Hand-written impls of the library's traits (7)"));
}

#[test]
fn every_crate_path_is_listed_and_a_look_alike_of_the_hidden_items_is_an_error() {
    let findings = scan("crate_paths");
    let look_alike = find(&findings, Kind::LibraryImpl, "`#[tenant(..)]` on `struct MoveToAnotherTenant` names the library through `crate = look_alike`");
    assert!(is(look_alike, Severity::Warning), "{look_alike:?}");
    let itself = find(&findings, Kind::LibraryImpl, "`crate = ::tenant_diesel`");
    assert!(is(itself, Severity::Info), "{itself:?}");
    let function = find(&findings, Kind::LibraryImpl, "`tenant_sql_function!` names");
    assert!(is(function, Severity::Warning), "{function:?}");
    let audited = find(
        &findings,
        Kind::LibraryImpl,
        "`#[audited(..)]` on `fn export`",
    );
    assert!(
        audited.detail.contains("`crate = look_alike`"),
        "{audited:?}"
    );
    let private: Vec<&tenant_diesel_report::Finding> = findings
        .iter()
        .filter(|f| f.detail.starts_with("an item named `__private`"))
        .collect();
    assert_eq!(private.len(), 2, "{private:#?}");
    assert!(private.iter().all(|f| is(f, Severity::Error)));
    assert_eq!((private[0].line, private[1].line), (9, 18));
}
