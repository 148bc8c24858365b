//! Global tables, allowed clippy bans, disallowed calls and test-only helpers.

mod support;

use support::{find, is, of_kind, scan};
use tenant_diesel_report::{Finding, Kind, Severity};

#[test]
fn global_tables_and_joins_are_listed_with_their_tokens() {
    let findings = scan("hatches");
    assert_eq!(of_kind(&findings, Kind::TableDeclaration).len(), 3);
    assert_eq!(
        find(
            &findings,
            Kind::TableDeclaration,
            "global_table!(plans(id, name))"
        )
        .line,
        7
    );
    find(
        &findings,
        Kind::TableDeclaration,
        "global_joinable!(plans -> tenants(plan_id))",
    );
    find(
        &findings,
        Kind::TableDeclaration,
        "tenant_joinable!(invoices -> accounts",
    );
}

#[test]
fn allowed_clippy_bans_name_their_item() {
    let findings = scan("hatches");
    assert_eq!(of_kind(&findings, Kind::AllowDisallowed).len(), 4);
    let file = find(
        &findings,
        Kind::AllowDisallowed,
        "#![allow(clippy::disallowed_methods)]",
    );
    assert!(file.detail.contains("the file"));
    let function = find(&findings, Kind::AllowDisallowed, "disallowed_macros");
    assert_eq!(function.function.as_deref(), Some("raw_counts"));
    let method = find(&findings, Kind::AllowDisallowed, "disallowed_types");
    assert!(method.detail.contains("fn Raw::walk_ast"), "{method:?}");
}

#[test]
fn raw_sql_boxing_and_sql_text_are_disallowed_calls_in_their_function() {
    let findings = scan("hatches");
    let query = find(&findings, Kind::DisallowedCall, "diesel::sql_query(");
    assert_eq!(query.function.as_deref(), Some("raw_counts"));
    assert!(is(query, Severity::Warning));
    find(&findings, Kind::DisallowedCall, "`sql::<Bool>(\"1 = 1\")`");
    find(
        &findings,
        Kind::DisallowedCall,
        "diesel::dsl::sql::<Bool>(\"2 = 2\")",
    );
    find(
        &findings,
        Kind::DisallowedCall,
        "`.into_boxed()` on `accounts::table`",
    );
    let in_macro = find(&findings, Kind::DisallowedCall, "on `invoices::table");
    assert_eq!(in_macro.function.as_deref(), Some("boxed"));
    let push = find(&findings, Kind::DisallowedCall, ".push_sql()");
    assert_eq!(push.function.as_deref(), Some("Raw::walk_ast"));
}

#[test]
fn disallowed_macros_are_found() {
    let findings = scan("hatches");
    for name in [
        "define_sql_function!",
        "`sql_function!",
        "infix_operator!",
        "postfix_operator!",
        "prefix_operator!",
    ] {
        find(&findings, Kind::DisallowedCall, name);
    }
}

#[test]
fn resolved_tenants_by_hand_and_doc_support_are_test_only_helpers() {
    let findings = scan("hatches");
    let by_hand: Vec<_> = of_kind(&findings, Kind::TestSupport)
        .into_iter()
        .filter(|f| f.detail.contains("ResolvedTenant::new"))
        .collect();
    assert_eq!(by_hand.len(), 2, "{findings:#?}");
    assert!(by_hand.iter().any(|f| f.file == "tests/it.rs"));
    let doc_support = of_kind(&findings, Kind::TestSupport)
        .into_iter()
        .filter(|f| f.detail.starts_with("uses the test-only `doc_support`"))
        .count();
    // The `use`, and the paths in src/lib.rs and tests/it.rs.
    assert_eq!(doc_support, 3, "{findings:#?}");
}

#[test]
fn boxing_a_scoped_query_is_listed_as_info() {
    let findings = scan("hatches");
    let scoped = find(&findings, Kind::DisallowedCall, "on `Account::scoped(ctx)`");
    assert!(is(scoped, Severity::Info), "{scoped:?}");
    assert_eq!(scoped.function.as_deref(), Some("scoped_boxing"));
}

#[test]
fn the_crates_own_clippy_toml_bans_are_reported_where_they_are_used() {
    let findings = scan("project_bans");
    let banned: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.detail.contains("banned by the crate's clippy.toml"))
        .collect();
    assert_eq!(banned.len(), 5, "{banned:#?}");
    let method = find(
        &findings,
        Kind::DisallowedCall,
        "`my_app::db::Pool::raw_connection`",
    );
    assert_eq!(method.function.as_deref(), Some("raw"));
    let imported = find(
        &findings,
        Kind::DisallowedCall,
        "`admin::impersonate(user)`",
    );
    assert!(is(imported, Severity::Warning), "{imported:?}");
    find(
        &findings,
        Kind::DisallowedCall,
        "`my_app::admin::impersonate(user)`",
    );
    find(&findings, Kind::DisallowedCall, "`unscoped_sql!`");
    let ty = find(&findings, Kind::DisallowedCall, "`diesel::PgConnection`");
    assert_eq!(ty.function.as_deref(), Some("typed"));
    // `sql_query` is reported once, by the built-in rule.
    let raw_sql: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.detail.contains("sql_query"))
        .collect();
    assert_eq!(raw_sql.len(), 1, "{raw_sql:#?}");
    assert!(raw_sql[0].detail.ends_with("raw SQL"), "{raw_sql:?}");
}
