//! The escape hatch: cross-tenant work only through an `AdminCtx` with a reason.

use tenant_diesel::prelude::*;
use tenant_diesel::{AdminConn, AdminCtx, MissingReason};
use tenant_diesel_tests::*;

#[test]
fn an_admin_connection_runs_cross_tenant_queries_and_keeps_its_reason() {
    let mut raw = database();
    let admin = AdminCtx::new("support: account counts of every tenant").unwrap();
    let mut conn = AdminConn::new(&mut raw, &admin);
    let counts: Vec<(i64, i64)> = accounts::table
        .group_by(accounts::tenant_id)
        .select((accounts::tenant_id, diesel::dsl::count_star()))
        .order(accounts::tenant_id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(counts, [(ACME, 3), (CONTOSO, 3)]);
    assert_eq!(
        conn.admin().reason(),
        "support: account counts of every tenant"
    );
}

#[test]
fn an_admin_context_needs_a_reason() {
    assert_eq!(AdminCtx::new(""), Err(MissingReason));
    assert_eq!(AdminCtx::new(" \t"), Err(MissingReason));
    assert!(MissingReason.to_string().contains("needs a reason"));
}
