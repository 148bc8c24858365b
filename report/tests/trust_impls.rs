//! Membership checks, directories and resolvers: listed, and the permissive ones flagged.

mod support;

use support::{find, is, of_kind, scan};

use tenant_diesel_report::{Kind, Severity};

#[test]
fn every_impl_is_listed_including_in_nested_modules() {
    let findings = scan("trust");
    let impls: Vec<_> = of_kind(&findings, Kind::TrustImpl)
        .into_iter()
        .filter(|f| is(f, Severity::Info))
        .collect();
    assert_eq!(impls.len(), 6, "{impls:#?}");
    let nested = impls
        .iter()
        .find(|f| f.detail == "impl AsyncTenantDirectory for Nobody")
        .expect("the impl two modules down");
    assert_eq!(nested.line, 27);
    assert!(impls
        .iter()
        .any(|f| f.detail == "impl Resolve for FromHeader"));
}

#[test]
fn constant_answers_are_warnings() {
    let findings = scan("trust");
    let everyone = find(&findings, Kind::TrustImpl, "returns a constant: `Ok(true)`");
    assert!(is(everyone, Severity::Warning));
    assert_eq!(everyone.function.as_deref(), Some("Everyone::is_member"));
    let nobody = find(&findings, Kind::TrustImpl, "returns a constant: `Ok(None)`");
    assert_eq!(nobody.function.as_deref(), Some("Nobody::find_by_slug"));
}

#[test]
fn an_ignored_argument_is_a_warning_and_honest_impls_are_not() {
    let findings = scan("trust");
    let ignores = find(
        &findings,
        Kind::TrustImpl,
        "never uses its argument(s) `actor`",
    );
    assert_eq!(ignores.function.as_deref(), Some("Nobody::is_member"));
    let warnings = of_kind(&findings, Kind::TrustImpl)
        .into_iter()
        .filter(|f| is(f, Severity::Warning))
        .count();
    assert_eq!(warnings, 3, "{findings:#?}");
}
