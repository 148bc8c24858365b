//! Schema coverage: tables scoped or global, and row-level security of tenant tables.

mod support;

use support::{code, find, fixture, is, of_kind, run, scan, stdout};
use tenant_diesel_report::{Kind, Severity};

#[test]
fn scoped_parent_scoped_and_global_tables_give_no_schema_finding() {
    let findings = scan("schema_classified");
    assert!(of_kind(&findings, Kind::Schema).is_empty(), "{findings:#?}");
    let output = run(&[fixture("schema_classified").to_str().unwrap()]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
}

#[test]
fn an_unclassified_tenant_table_is_an_error() {
    let findings = scan("schema_unclassified");
    let invoices = find(&findings, Kind::Schema, "table `invoices`");
    assert!(is(invoices, Severity::Error), "{invoices:?}");
    assert!(invoices.detail.contains("no model derives `TenantScoped`"));
    assert_eq!((invoices.file.as_str(), invoices.line), ("src/lib.rs", 4));
    let notes = find(&findings, Kind::Schema, "table `notes`");
    assert!(is(notes, Severity::Info), "{notes:?}");
    assert!(notes.detail.contains("not used through the library"));
    let output = run(&[fixture("schema_unclassified").to_str().unwrap()]);
    assert_eq!(code(&output), 1, "{}", stdout(&output));
}

#[test]
fn a_global_table_with_a_tenant_column_is_an_error() {
    let findings = scan("schema_global_tenant");
    let plans = find(&findings, Kind::Schema, "table `plans` is declared global");
    assert!(is(plans, Severity::Error), "{plans:?}");
    assert_eq!(plans.line, 11);
    assert_eq!(of_kind(&findings, Kind::Schema).len(), 1, "{findings:#?}");
}

#[test]
fn prefixed_tables_with_attributes_parse_and_model_tenant_columns_count() {
    let findings = scan("schema_prefixed");
    let schema = of_kind(&findings, Kind::Schema);
    assert_eq!(schema.len(), 2, "{findings:#?}");
    let audit = find(&findings, Kind::Schema, "table `audit_log`");
    assert!(is(audit, Severity::Error));
    assert_eq!(audit.line, 24);
    let invoices = find(
        &findings,
        Kind::Schema,
        "table `invoices` is declared global",
    );
    assert!(invoices.detail.contains("`owner_id`"), "{invoices:?}");
}

#[test]
fn a_tenant_table_missing_from_rls_migrations_is_a_warning() {
    let findings = scan("schema_rls_rust");
    let schema = of_kind(&findings, Kind::Schema);
    assert_eq!(schema.len(), 1, "{findings:#?}");
    let notes = find(
        &findings,
        Kind::Schema,
        "tenant table `notes` has no row-level security migration",
    );
    assert!(is(notes, Severity::Warning));
}

#[test]
fn enable_row_level_security_in_sql_counts() {
    let findings = scan("schema_rls_sql");
    let schema = of_kind(&findings, Kind::Schema);
    assert_eq!(schema.len(), 1, "{findings:#?}");
    let invoices = find(&findings, Kind::Schema, "tenant table `invoices`");
    assert!(is(invoices, Severity::Warning));
}

#[test]
fn without_postgres_migrations_row_level_security_is_not_checked() {
    let findings = scan("schema_classified");
    assert!(!findings
        .iter()
        .any(|f| f.detail.contains("row-level security")));
}

#[test]
fn a_tenant_column_table_read_by_the_membership_check_is_info() {
    let findings = scan("schema_membership");
    let memberships = find(&findings, Kind::Schema, "table `memberships`");
    assert!(is(memberships, Severity::Info), "{memberships:?}");
    assert!(
        memberships.detail.contains("`impl MembershipCheck for Db`"),
        "{memberships:?}"
    );
}

#[test]
fn rls_migrations_built_over_several_statements_and_helpers_count() {
    let findings = scan("schema_rls_steps");
    let schema = of_kind(&findings, Kind::Schema);
    // accounts (a reassigned variable), notes (a helper's parameter), invoices
    // (`RlsTable::of`) and projects (`RlsTable::named`) are covered; teams is
    // only declared for SQLite's check, which is not row-level security.
    assert_eq!(schema.len(), 1, "{schema:#?}");
    let teams = find(&findings, Kind::Schema, "tenant table `teams`");
    assert!(is(teams, Severity::Warning), "{teams:?}");
}

#[test]
fn a_second_declaration_of_a_tenant_table_is_an_error() {
    let findings = scan("schema_sql_name");
    let every = find(
        &findings,
        Kind::Schema,
        "table `every_account` is the SQL table `accounts`",
    );
    assert!(is(every, Severity::Error), "{every:?}");
    assert!(
        every.detail.contains("`accounts` (src/lib.rs:6)"),
        "{every:?}"
    );
    assert!(every.detail.contains("reads every tenant's rows"));
    let accounts = find(
        &findings,
        Kind::Schema,
        "table `accounts` is the SQL table `accounts`",
    );
    assert!(is(accounts, Severity::Warning), "{accounts:?}");
    let plans = find(
        &findings,
        Kind::Schema,
        "table `plan_names` is the SQL table `plans`",
    );
    assert!(is(plans, Severity::Warning), "{plans:?}");
    let output = run(&[fixture("schema_sql_name").to_str().unwrap()]);
    assert_eq!(code(&output), 1, "{}", stdout(&output));
}
