//! Subqueries that are scoped queries: `IN` and `EXISTS` over a query built by a
//! model's `scoped(&ctx)`, each table inside with its own tenant filter, and the
//! inner query's tenant checked with the outer's before any SQL is sent. On the
//! seeded two-tenant schema (Acme's invoice 5 points at Contoso's account 2), on
//! SQLite, on MariaDB and behind PostgreSQL's row-level security, beside the control: the
//! same subquery without its tenant filter tells Contoso about Acme's invoices.

use diesel::result::Error as DieselError;
use tenant_diesel::prelude::*;
use tenant_diesel::{AnyTenantId, TenantMismatch};
use tenant_diesel_tests::*;

/// The error of a query refused for a subquery of another tenant.
fn mismatch<T: std::fmt::Debug>(result: QueryResult<T>) -> TenantMismatch {
    let Err(DieselError::QueryBuilderError(error)) = result else {
        panic!("expected a tenant mismatch, got {result:?}");
    };
    *error
        .downcast_ref::<TenantMismatch>()
        .expect("a TenantMismatch")
}

fn tenant(id: i64) -> AnyTenantId {
    TenantId::new(id).erase()
}

macro_rules! subqueries_suite {
    () => {
        #[test]
        fn in_and_not_in_a_scoped_subquery_read_the_tenants_rows_only() {
            let mut db = TestDb::new();
            let acme = ctx(ACME);
            let mut conn = TenantConn::with_setting(&mut db.app, &acme, db.setting.clone());
            let invoiced: Vec<i64> = Account::scoped(&acme)
                .filter_in(
                    accounts::id,
                    Invoice::scoped(&acme).select(invoices::account_id),
                )
                .select(accounts::id)
                .order(accounts::id)
                .load(&mut conn)
                .unwrap();
            assert_eq!(invoiced, [1, 3]);
            let not_invoiced: Vec<i64> = Account::scoped(&acme)
                .filter_not_in(
                    accounts::id,
                    Invoice::scoped(&acme).select(invoices::account_id),
                )
                .select(accounts::id)
                .load(&mut conn)
                .unwrap();
            assert_eq!(not_invoiced, [5]);
        }

        #[test]
        fn exists_over_a_scoped_subquery_tells_nothing_of_another_tenant() {
            let mut db = TestDb::new();
            let contoso = ctx(CONTOSO);
            let mut conn = TenantConn::with_setting(&mut db.app, &contoso, db.setting.clone());
            // Only Acme has an invoice above 45: Contoso's query sees none.
            let big: Vec<i64> = Account::scoped(&contoso)
                .filter_exists(Invoice::scoped(&contoso).filter(invoices::amount.gt(45)))
                .select(accounts::id)
                .load(&mut conn)
                .unwrap();
            assert!(big.is_empty(), "{big:?}");
            let none_big: i64 = Account::scoped(&contoso)
                .filter_not_exists(Invoice::scoped(&contoso).filter(invoices::amount.gt(45)))
                .count()
                .get_result(&mut conn)
                .unwrap();
            assert_eq!(none_big, 3);
        }

        #[test]
        fn a_correlated_exists_reads_the_outer_row_and_the_tenants_rows_only() {
            let mut db = TestDb::new();
            for (tenant, expected) in [(ACME, vec![3]), (CONTOSO, vec![4])] {
                let ctx = ctx(tenant);
                let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                // The tenant's accounts with an invoice above 25 of their own.
                let big: Vec<i64> = Account::scoped(&ctx)
                    .filter_exists(
                        Invoice::scoped(&ctx)
                            .correlated::<accounts::table>()
                            .filter(invoices::account_id.eq(accounts::id))
                            .filter(invoices::amount.gt(25)),
                    )
                    .select(accounts::id)
                    .load(&mut conn)
                    .unwrap();
                assert_eq!(big, expected);
            }
        }

        #[test]
        fn a_scalar_subquery_counts_the_tenants_rows_only() {
            let mut db = TestDb::new();
            // Acme's invoice 5 names Contoso's account 2: Contoso still counts
            // one invoice there, its own.
            for (tenant, expected) in [
                (ACME, vec![(1, Some(1)), (3, Some(1)), (5, Some(0))]),
                (CONTOSO, vec![(2, Some(1)), (4, Some(1)), (6, Some(0))]),
            ] {
                let ctx = ctx(tenant);
                let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                let invoices_of_the_row = || {
                    Invoice::scoped(&ctx)
                        .correlated::<accounts::table>()
                        .filter(invoices::account_id.eq(accounts::id))
                        .count()
                        .single_value()
                };
                let counts: Vec<(i64, Option<i64>)> = Account::scoped(&ctx)
                    .select((accounts::id, invoices_of_the_row()))
                    .order(accounts::id)
                    .load(&mut conn)
                    .unwrap();
                assert_eq!(counts, expected);
                let invoiced: i64 = Account::scoped(&ctx)
                    .filter(invoices_of_the_row().gt(0))
                    .count()
                    .get_result(&mut conn)
                    .unwrap();
                assert_eq!(invoiced, 2);
            }
        }

        #[test]
        fn a_scalar_subquery_of_another_tenant_is_never_sent() {
            let mut db = TestDb::new();
            let sent = record_statements(&mut db.app);
            let acme = ctx(ACME);
            let contoso = ctx(CONTOSO);
            let mut conn = TenantConn::with_setting(&mut db.app, &acme, db.setting.clone());
            let crossed = Account::scoped(&acme).select((
                accounts::id,
                Invoice::scoped(&contoso).count().single_value(),
            ));
            assert_eq!(
                mismatch(crossed.load::<(i64, Option<i64>)>(&mut conn)),
                TenantMismatch {
                    query: tenant(CONTOSO),
                    connection: tenant(ACME)
                }
            );
            // A scalar subquery of Acme's own, with a subquery of Contoso's in it.
            let nested = Account::scoped(&acme).select((
                accounts::id,
                Invoice::scoped(&acme)
                    .filter_exists(Note::scoped(&contoso))
                    .count()
                    .single_value(),
            ));
            assert_eq!(
                mismatch(nested.load::<(i64, Option<i64>)>(&mut conn)),
                TenantMismatch {
                    query: tenant(CONTOSO),
                    connection: tenant(ACME)
                }
            );
            let statements = sent.lock().unwrap().clone();
            assert!(
                statements.iter().all(|sql| !sql.contains("accounts")),
                "the statement was sent: {statements:?}"
            );
        }

        #[test]
        fn a_global_query_over_a_tenants_subquery_and_a_delete_through_one() {
            let mut db = TestDb::new();
            let acme = ctx(ACME);
            let mut conn = TenantConn::with_setting(&mut db.app, &acme, db.setting.clone());
            // The plans Acme subscribes to: a shared table, a tenant's subquery.
            let plans: Vec<String> = global(plans::table)
                .filter_in(
                    plans::id,
                    Subscription::scoped(&acme).select(subscriptions::plan_id),
                )
                .select(plans::name)
                .load(&mut conn)
                .unwrap();
            assert_eq!(plans, ["pro"]);
            // Delete Acme's invoices of its accounts named Initech: one row.
            let deleted = Invoice::scoped(&acme)
                .filter_in(
                    invoices::account_id,
                    Account::scoped(&acme)
                        .filter(accounts::name.eq("Initech"))
                        .select(accounts::id),
                )
                .delete_all()
                .execute(&mut conn)
                .unwrap();
            assert_eq!(deleted, 1);
            drop(conn);
            let left: Vec<i64> = diesel::RunQueryDsl::load(
                invoices::table.select(invoices::id).order(invoices::id),
                &mut db.observer,
            )
            .unwrap();
            assert_eq!(left, [1, 2, 4, 5], "Contoso's invoice 4 on Initech stays");
        }

        #[test]
        fn a_subquery_of_another_tenant_is_refused_before_any_sql() {
            let mut db = TestDb::new();
            let sent = record_statements(&mut db.app);
            let acme = ctx(ACME);
            let contoso = ctx(CONTOSO);
            let mut conn = TenantConn::with_setting(&mut db.app, &acme, db.setting.clone());
            let crossed = Account::scoped(&acme).filter_in(
                accounts::id,
                Invoice::scoped(&contoso).select(invoices::account_id),
            );
            assert_eq!(
                mismatch(crossed.clone().load::<Account>(&mut conn)),
                TenantMismatch {
                    query: tenant(CONTOSO),
                    connection: tenant(ACME)
                }
            );
            // Two levels down, and under a global query: the same.
            let deep = Account::scoped(&acme)
                .filter_exists(Invoice::scoped(&acme).filter_exists(Note::scoped(&contoso)));
            assert_eq!(
                mismatch(deep.count().get_result::<i64>(&mut conn)),
                TenantMismatch {
                    query: tenant(CONTOSO),
                    connection: tenant(ACME)
                }
            );
            let global_over_contoso = global(plans::table).filter_in(
                plans::id,
                Subscription::scoped(&contoso).select(subscriptions::plan_id),
            );
            assert_eq!(
                mismatch(
                    global_over_contoso
                        .select(plans::name)
                        .load::<String>(&mut conn)
                ),
                TenantMismatch {
                    query: tenant(CONTOSO),
                    connection: tenant(ACME)
                }
            );
            assert!(
                sent.lock().unwrap().is_empty(),
                "{:?}",
                sent.lock().unwrap()
            );
            drop(conn);

            // On Contoso's connection the outer query is the stranger.
            let mut conn = TenantConn::with_setting(&mut db.app, &contoso, db.setting.clone());
            assert_eq!(
                mismatch(crossed.load::<Account>(&mut conn)),
                TenantMismatch {
                    query: tenant(ACME),
                    connection: tenant(CONTOSO)
                }
            );
        }

        #[test]
        fn control_an_unscoped_subquery_tells_contoso_about_acmes_invoices() {
            let mut db = TestDb::new();
            // Correlated, without the inner tenant filter: Acme's invoice 5 on
            // Contoso's account 2 shows through.
            let correlated: Vec<i64> = diesel::RunQueryDsl::load(
                accounts::table
                    .filter(accounts::tenant_id.eq(CONTOSO))
                    .filter(diesel::dsl::exists(
                        invoices::table
                            .filter(invoices::account_id.eq(accounts::id))
                            .filter(invoices::amount.gt(25)),
                    ))
                    .select(accounts::id)
                    .order(accounts::id),
                &mut db.observer,
            )
            .unwrap();
            assert_eq!(correlated, [2, 4]);
            let rows: Vec<i64> = diesel::RunQueryDsl::load(
                accounts::table
                    .filter(accounts::tenant_id.eq(CONTOSO))
                    .filter(diesel::dsl::exists(
                        invoices::table.filter(invoices::amount.gt(45)),
                    ))
                    .select(accounts::id),
                &mut db.observer,
            )
            .unwrap();
            assert_eq!(rows.len(), 3, "Acme's invoice of 50 shows through");
        }
    };
}

/// The SQL is the hand-written SQL: the inner query with its own tenant filter.
macro_rules! sql_shape {
    ($backend:ty) => {
        #[test]
        fn a_scoped_subquery_is_the_hand_written_subquery() {
            let acme = ctx(ACME);
            let scoped = Account::scoped(&acme)
                .filter_in(
                    accounts::id,
                    Invoice::scoped(&acme)
                        .filter(invoices::amount.gt(5))
                        .select(invoices::account_id),
                )
                .filter_not_exists(Note::scoped(&acme))
                .select(accounts::id);
            let hand_written = accounts::table
                .filter(accounts::tenant_id.eq(ACME))
                .filter(
                    accounts::id.eq_any(
                        invoices::table
                            .filter(invoices::tenant_id.eq(ACME))
                            .filter(invoices::amount.gt(5))
                            .select(invoices::account_id),
                    ),
                )
                .filter(diesel::dsl::not(diesel::dsl::exists(
                    notes::table.filter(notes::tenant_id.eq(ACME)),
                )))
                .select(accounts::id);
            assert_eq!(
                scoped.debug_query::<$backend>().to_string(),
                diesel::debug_query::<$backend, _>(&hand_written).to_string()
            );
        }

        #[test]
        fn a_scoped_scalar_subquery_is_the_hand_written_one() {
            let acme = ctx(ACME);
            let scoped = Account::scoped(&acme).select((
                accounts::id,
                Invoice::scoped(&acme)
                    .correlated::<accounts::table>()
                    .filter(invoices::account_id.eq(accounts::id))
                    .count()
                    .single_value(),
            ));
            let hand_written = accounts::table
                .filter(accounts::tenant_id.eq(ACME))
                .select((
                    accounts::id,
                    invoices::table
                        .filter(invoices::tenant_id.eq(ACME))
                        .filter(invoices::account_id.eq(accounts::id))
                        .count()
                        .single_value(),
                ));
            assert_eq!(
                scoped.debug_query::<$backend>().to_string(),
                diesel::debug_query::<$backend, _>(&hand_written).to_string()
            );
        }
    };
}

mod sqlite {
    use super::*;
    use tenant_diesel_tests::sqlite::TestDb;

    subqueries_suite!();
    sql_shape!(diesel::sqlite::Sqlite);
}

mod postgres {
    use super::*;
    use tenant_diesel_tests::postgres::TestDb;

    subqueries_suite!();
    sql_shape!(diesel::pg::Pg);
}

mod mysql {
    use super::*;
    use tenant_diesel_tests::mysql::TestDb;

    subqueries_suite!();
    sql_shape!(diesel::mysql::Mysql);
}
