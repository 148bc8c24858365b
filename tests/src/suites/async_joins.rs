/// The queries of issue #17 on an async connection: a chain of joins, a scoped
/// subquery, a subquery of another tenant refused before any SQL, and a scalar
/// subquery that checks its tenant where diesel-async builds the statement.
///
/// Expands to a `#[tokio::test]` that opens its connection with the invoking
/// module's `async fn app_connection(&TestDb)`.
#[macro_export]
macro_rules! async_joins_suite {
    () => {
        #[tokio::test]
        async fn joins_and_scoped_subqueries_run_on_the_async_connection() {
            use diesel::result::Error as DieselError;
            use tenant_diesel::async_prelude::*;
            use $crate::*;

            let db = TestDb::new();
            let acme = ctx(ACME);
            let contoso = ctx(CONTOSO);
            let mut conn = AsyncTenantConn::new(app_connection(&db).await, &acme);

            // Invoice 5 of Acme names Contoso's account 2: the join carries the
            // tenant, so it does not reach it.
            let joined: Vec<(i64, String)> = Invoice::scoped(&acme)
                .filter(invoices::amount.gt(5))
                .inner_join(accounts::table)
                .select((invoices::id, accounts::name))
                .order(invoices::id)
                .load(&mut conn)
                .await
                .unwrap();
            assert_eq!(
                joined,
                [(1, "Globex".to_owned()), (3, "Initech".to_owned())]
            );

            let invoiced: Vec<i64> = Account::scoped(&acme)
                .filter_in(
                    accounts::id,
                    Invoice::scoped(&acme).select(invoices::account_id),
                )
                .select(accounts::id)
                .order(accounts::id)
                .load(&mut conn)
                .await
                .unwrap();
            assert_eq!(invoiced, [1, 3]);

            let crossed = Account::scoped(&acme)
                .filter_exists(Invoice::scoped(&contoso))
                .load::<Account>(&mut conn)
                .await;
            let Err(DieselError::QueryBuilderError(error)) = crossed else {
                panic!("expected a tenant mismatch, got {crossed:?}");
            };
            assert!(error.is::<tenant_diesel::TenantMismatch>(), "{error}");

            let scalar = Account::scoped(&acme)
                .select((
                    accounts::id,
                    Invoice::scoped(&contoso).count().single_value(),
                ))
                .load::<(i64, Option<i64>)>(&mut conn)
                .await;
            let Err(DieselError::QueryBuilderError(error)) = scalar else {
                panic!("expected a tenant mismatch, got {scalar:?}");
            };
            assert!(error.is::<tenant_diesel::TenantMismatch>(), "{error}");
            let own: Vec<(i64, Option<i64>)> = Account::scoped(&acme)
                .select((accounts::id, Invoice::scoped(&acme).count().single_value()))
                .order(accounts::id)
                .load(&mut conn)
                .await
                .unwrap();
            assert_eq!(own, [(1, Some(3)), (3, Some(3)), (5, Some(3))]);
        }
    };
}
