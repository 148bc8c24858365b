//! `AdminCtx::new` calls: literal reasons, constants, renames, and the dodges.

mod support;

use support::{find, is, of_kind, scan};
use tenant_diesel_report::{Kind, Severity};

#[test]
fn a_literal_reason_is_reported_with_its_actor_function_and_line() {
    let findings = scan("admin");
    let finding = find(&findings, Kind::AdminCtx, "billing: monthly invoices");
    assert!(is(finding, Severity::Info));
    assert_eq!(finding.file, "src/lib.rs");
    assert_eq!(finding.line, 9);
    assert_eq!(finding.function.as_deref(), Some("literal"));
    assert!(finding.detail.contains("actor `staff`"), "{finding:?}");
}

#[test]
fn a_full_path_and_a_use_rename_are_found() {
    let findings = scan("admin");
    let full = find(&findings, Kind::AdminCtx, "migration: backfill plans");
    assert_eq!(full.function.as_deref(), Some("full_path"));
    let renamed = find(&findings, Kind::AdminCtx, "renamed: nightly export");
    assert_eq!(renamed.function.as_deref(), Some("renamed"));
    assert!(renamed.detail.contains("actor `&staff`"), "{renamed:?}");
}

#[test]
fn a_string_constant_reason_reads_as_its_literal() {
    let findings = scan("admin");
    let finding = find(
        &findings,
        Kind::AdminCtx,
        "support: every tenant, on the admin page",
    );
    assert!(is(finding, Severity::Info));
    assert_eq!(finding.function.as_deref(), Some("constant"));
}

#[test]
fn a_formatted_or_variable_reason_is_an_error() {
    let findings = scan("admin");
    let formatted = find(&findings, Kind::AdminCtx, "format!(");
    assert!(is(formatted, Severity::Error), "{formatted:?}");
    assert_eq!(formatted.function.as_deref(), Some("formatted"));
    let variable = find(&findings, Kind::AdminCtx, "literal: `why`");
    assert!(is(variable, Severity::Error), "{variable:?}");
}

#[test]
fn calls_inside_macro_invocations_closures_and_macro_rules_are_found() {
    let findings = scan("admin");
    assert_eq!(
        find(&findings, Kind::AdminCtx, "vec: first")
            .function
            .as_deref(),
        Some("in_vec")
    );
    let blocking = find(&findings, Kind::AdminCtx, "blocking: cleanup");
    assert_eq!(blocking.function.as_deref(), Some("in_closure"));
    assert_eq!(blocking.line, 38);
    let system = find(&findings, Kind::AdminCtx, "macro: system job");
    assert_eq!(system.function.as_deref(), Some("open_admin!"));
    assert_eq!(system.line, 50);
    // The macro's reason is a parameter: not a literal.
    let parameter = find(&findings, Kind::AdminCtx, "literal: `reason`");
    assert!(is(parameter, Severity::Error));
    assert_eq!(of_kind(&findings, Kind::AdminCtx).len(), 14);
}

#[test]
fn a_blank_literal_reason_is_a_warning() {
    let findings = scan("admin");
    let blank = find(&findings, Kind::AdminCtx, "blank reason");
    assert!(is(blank, Severity::Warning), "{blank:?}");
    assert_eq!(blank.function.as_deref(), Some("blank"));
}

#[test]
fn dodges_by_value_qualified_self_and_type_aliases_are_caught() {
    let findings = scan("dodges");
    let admin = of_kind(&findings, Kind::AdminCtx);
    let value = find(
        &findings,
        Kind::AdminCtx,
        "`AdminCtx::new` taken as a function value",
    );
    assert!(is(value, Severity::Error), "{value:?}");
    assert_eq!(value.function.as_deref(), Some("taken_as_a_value"));
    let qualified = find(
        &findings,
        Kind::AdminCtx,
        "format!(\"support: {}\", ticket())",
    );
    assert!(is(qualified, Severity::Error), "{qualified:?}");
    let aliased = find(&findings, Kind::AdminCtx, "reason_from_the_request()");
    assert!(is(aliased, Severity::Error), "{aliased:?}");
    assert_eq!(
        aliased.function.as_deref(),
        Some("through_a_type_alias_of_another_module")
    );
    let literal = find(&findings, Kind::AdminCtx, "support: nightly export");
    assert!(is(literal, Severity::Info), "{literal:?}");
    assert_eq!(literal.file, "src/admin.rs");
    assert_eq!(admin.len(), 4, "{admin:#?}");
    let resolved = find(
        &findings,
        Kind::TestSupport,
        "`ResolvedTenant::new` taken as a function value",
    );
    assert!(is(resolved, Severity::Warning), "{resolved:?}");
    let setting = find(&findings, Kind::WallSetting, "`TenantConn::with_setting`");
    assert!(setting.detail.contains("`setting`"), "{setting:?}");
}

#[test]
fn the_async_constructor_is_reported_like_new() {
    let findings = scan("admin");
    let literal = find(&findings, Kind::AdminCtx, "async: audit export");
    assert!(is(literal, Severity::Info), "{literal:?}");
    assert_eq!(literal.function.as_deref(), Some("opened_async"));
    let variable = find(&findings, Kind::AdminCtx, "`async_ticket`");
    assert!(is(variable, Severity::Error), "{variable:?}");
    assert_eq!(
        variable.function.as_deref(),
        Some("opened_async_with_a_variable")
    );
    let value = find(
        &findings,
        Kind::AdminCtx,
        "`Ctx::new_async` taken as a function value",
    );
    assert!(is(value, Severity::Error), "{value:?}");
}
