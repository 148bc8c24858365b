//! Leak vector 12: a scope built for one tenant never runs on another's connection.

/// Leak vector 12: a scope built for tenant A never runs on tenant B's connection,
/// and nothing is sent to the database when it is tried.
#[macro_export]
macro_rules! tenant_mismatch_suite {
    () => {
        mod tenant_mismatch {
            #![allow(unused_imports)]
            use super::{Backend, TestDb};

            use diesel::result::Error as DieselError;
            use tenant_diesel::prelude::*;
            use tenant_diesel::TenantMismatch;
            use $crate::*;

            #[test]
            fn a_scope_for_acme_on_contosos_connection_is_refused_before_any_sql() {
                let mut db = TestDb::new();
                let sent = record_statements(&mut db.app);
                let acme = ctx(ACME);
                let contoso = ctx(CONTOSO);
                let mut contoso_conn =
                    TenantConn::with_setting(&mut db.app, &contoso, db.setting.clone());

                let result = Account::scoped(&acme)
                    .find(1)
                    .first::<Account>(&mut contoso_conn);
                let Err(DieselError::QueryBuilderError(error)) = result else {
                    panic!("expected a tenant mismatch, got {result:?}");
                };
                let mismatch = error
                    .downcast_ref::<TenantMismatch>()
                    .expect("a TenantMismatch");
                assert_eq!(
                    *mismatch,
                    TenantMismatch {
                        query: TenantId::new(ACME).erase(),
                        connection: TenantId::new(CONTOSO).erase()
                    }
                );
                assert!(
                    mismatch.to_string().contains("nothing was sent"),
                    "{mismatch}"
                );
                assert!(
                    sent.lock().unwrap().is_empty(),
                    "SQL was sent: {:?}",
                    sent.lock().unwrap()
                );

                // The control: the same connection does send the query for its own tenant.
                let own: Account = Account::scoped(&contoso)
                    .find(2)
                    .first(&mut contoso_conn)
                    .unwrap();
                assert_eq!(own.tenant_id, CONTOSO);
                // SQLite sends the query alone; PostgreSQL wraps it in its unit of
                // work (BEGIN with the tenant setting, the query, COMMIT).
                let sent = sent.lock().unwrap();
                assert!(
                    sent.iter()
                        .any(|sql| sql.contains("\"accounts\"") || sql.contains("`accounts`")),
                    "{sent:?}"
                );
            }

            #[test]
            fn a_transaction_hands_the_closure_a_tenant_connection() {
                let mut db = TestDb::new();
                let ctx = ctx(ACME);
                let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                let result: Result<(), DieselError> = conn.transaction(|tx| {
                    let count: i64 = Account::scoped(&ctx).count().get_result(tx)?;
                    assert_eq!(count, 3);
                    assert_eq!(tx.ctx().tenant_id(), TenantId::new(ACME));
                    Err(DieselError::RollbackTransaction)
                });
                assert!(matches!(result, Err(DieselError::RollbackTransaction)));
                let count: i64 = conn
                    .transaction(|tx| Account::scoped(&ctx).count().get_result(tx))
                    .unwrap();
                assert_eq!(count, 3);
            }
        }
    };
}
