//! The escape hatch: cross-tenant work only through an `AdminCtx`.

/// The escape hatch: cross-tenant work only through an `AdminCtx` with a reason.
#[macro_export]
macro_rules! admin_suite {
    () => {
        mod admin {
            #![allow(unused_imports)]
            use super::{Backend, TestDb};

            use std::sync::Arc;
            use tenant_diesel::audit::{Auditor, MemorySink};
            use tenant_diesel::prelude::*;
            use tenant_diesel::{ActorId, AdminConn, AdminCtx, AdminError};
            use $crate::*;

            #[test]
            fn an_admin_connection_runs_cross_tenant_queries_and_keeps_its_reason() {
                let mut db = TestDb::new();
                let log = Arc::new(MemorySink::new());
                let audit = Auditor::new(log.clone());
                let staff = ActorId::new("support-7");
                let admin =
                    AdminCtx::new("support: account counts of every tenant", &staff, &audit)
                        .unwrap();
                // On PostgreSQL cross-tenant work runs as a role that row-level security does
                // not restrict (here the tables' owner); the application's role sees nothing
                // without a tenant.
                let mut conn = AdminConn::new(&mut db.observer, &admin);
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
                let events = log.events();
                let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
                assert_eq!(actions, ["admin.open", "admin.query"]);
                for event in &events {
                    assert_eq!(event.actor, staff);
                    assert_eq!(event.tenant, None);
                    assert_eq!(
                        event.detail.as_deref(),
                        Some("support: account counts of every tenant")
                    );
                }
            }

            #[test]
            fn an_admin_context_needs_a_reason() {
                let log = Arc::new(MemorySink::new());
                let audit = Auditor::new(log.clone());
                let staff = ActorId::new("support-7");
                assert!(matches!(
                    AdminCtx::new("", &staff, &audit),
                    Err(AdminError::MissingReason)
                ));
                assert!(matches!(
                    AdminCtx::new(" \t", &staff, &audit),
                    Err(AdminError::MissingReason)
                ));
                assert!(AdminError::MissingReason
                    .to_string()
                    .contains("needs a reason"));
                assert!(log.events().is_empty(), "a refused context opens nothing");
            }
        }
    };
}
