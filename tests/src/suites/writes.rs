//! Writes: inserts stamp the tenant; updates and deletes reach only the current
//! tenant's rows.

/// Writes: inserts stamp the tenant, updates and deletes reach only the current
/// tenant's rows, and a tampered id changes nothing and says so.
///
/// `writes_suite!()` includes the writes that give their rows back
/// (`RETURNING`); `writes_suite!(without_returning)` leaves them out, for MySQL,
/// where `get_result` of a write does not compile.
#[macro_export]
macro_rules! writes_suite {
    () => {
        $crate::writes_suite!(@with { $crate::__returning_writes!(); });
    };
    (without_returning) => {
        $crate::writes_suite!(@with {});
    };
    (@with { $($returning:tt)* }) => {
        mod writes {
            #![allow(unused_imports)]
            use super::{Backend, TestDb};

            use diesel::result::Error as DieselError;
            use tenant_diesel::prelude::*;
            use $crate::*;

            fn new_account(id: i64, name: &str) -> NewAccount {
                NewAccount {
                    id,
                    name: name.into(),
                    balance: 0,
                }
            }

            #[test]
            fn insert_stamps_the_tenant_from_the_context() {
                let mut db = TestDb::new();
                let ctx = ctx(CONTOSO);
                let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                let inserted = Account::scoped(&ctx)
                    .insert(&new_account(10, "Globex"))
                    .execute(&mut conn);
                assert_eq!(inserted, Ok(1));
                let row: Account = Account::scoped(&ctx).find(10).first(&mut conn).unwrap();
                assert_eq!(row.tenant_id, CONTOSO);
            }

            #[test]
            fn batch_insert_stamps_every_row() {
                let mut db = TestDb::new();
                let ctx = ctx(ACME);
                let rows = [
                    new_account(20, "a"),
                    new_account(21, "b"),
                    new_account(22, "c"),
                ];
                let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                assert_eq!(
                    Account::scoped(&ctx).insert_all(&rows).execute(&mut conn),
                    Ok(3)
                );
                let stamped: Vec<i64> = db.all_accounts()
                    .into_iter()
                    .filter(|row| row.id >= 20)
                    .map(|row| row.tenant_id)
                    .collect();
                assert_eq!(stamped, [ACME, ACME, ACME]);
            }

            #[test]
            fn update_by_id_changes_the_tenants_row_and_a_tampered_id_changes_nothing() {
                let mut db = TestDb::new();
                let before = db.all_accounts();
                let ctx = ctx(ACME);
                let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                let changes = AccountChanges {
                    name: Some("Globex Renamed".into()),
                    balance: None,
                };

                // Account 2 is Contoso's: 0 rows, and the count says so.
                assert_eq!(
                    Account::scoped(&ctx)
                        .update(2)
                        .set(&changes)
                        .execute(&mut conn),
                    Ok(0)
                );
                assert_eq!(
                    Account::scoped(&ctx)
                        .update(1)
                        .set(&changes)
                        .execute(&mut conn),
                    Ok(1)
                );

                let after = db.all_accounts();
                for (old, new) in before.iter().zip(&after) {
                    if old.id == 1 {
                        assert_eq!(new.name, "Globex Renamed");
                    } else {
                        assert_eq!(old, new, "a row that was not the target changed");
                    }
                }
            }

            #[test]
            fn a_filtered_update_reaches_only_the_current_tenants_rows() {
                let mut db = TestDb::new();
                let ctx = ctx(CONTOSO);
                let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                // Both tenants have a "Globex" and an "Initech"; only Contoso's two change.
                let changed = Account::scoped(&ctx)
                    .filter(accounts::name.eq_any(["Globex", "Initech"]))
                    .update_all()
                    .set_column(accounts::balance, 0)
                    .execute(&mut conn);
                assert_eq!(changed, Ok(2));
                let zeroed: Vec<(i64, i64)> = db.all_accounts()
                    .into_iter()
                    .filter(|row| row.balance == 0)
                    .map(|row| (row.id, row.tenant_id))
                    .collect();
                assert_eq!(zeroed, [(2, CONTOSO), (4, CONTOSO)]);
            }

            #[test]
            fn delete_by_id_and_filtered_delete_reach_only_the_current_tenants_rows() {
                let mut db = TestDb::new();
                let ctx = ctx(ACME);
                let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                assert_eq!(
                    Account::scoped(&ctx).delete(2).execute(&mut conn),
                    Ok(0),
                    "Contoso's account"
                );
                assert_eq!(Account::scoped(&ctx).delete(1).execute(&mut conn), Ok(1));
                let removed = Account::scoped(&ctx)
                    .filter(accounts::name.eq("Initech"))
                    .delete_all()
                    .execute(&mut conn);
                assert_eq!(removed, Ok(1));
                let left: Vec<(i64, i64)> = db.all_accounts()
                    .into_iter()
                    .map(|a| (a.id, a.tenant_id))
                    .collect();
                assert_eq!(left, [(2, CONTOSO), (4, CONTOSO), (5, ACME), (6, CONTOSO)]);
            }

            #[test]
            fn delete_all_of_the_scope_leaves_the_other_tenant_whole() {
                let mut db = TestDb::new();
                let ctx = ctx(CONTOSO);
                let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                assert_eq!(Account::scoped(&ctx).delete_all().execute(&mut conn), Ok(3));
                assert!(db.all_accounts()
                    .iter()
                    .all(|row| row.tenant_id == ACME));
                assert_eq!(db.all_accounts().len(), 3);
            }

            #[test]
            fn a_write_scoped_to_another_tenant_is_refused_before_any_sql() {
                let mut db = TestDb::new();
                let before = db.all_accounts();
                let acme = ctx(ACME);
                let contoso = ctx(CONTOSO);
                let mut contoso_conn = TenantConn::with_setting(&mut db.app, &contoso, db.setting.clone());
                let insert = Account::scoped(&acme)
                    .insert(&new_account(30, "x"))
                    .execute(&mut contoso_conn);
                let delete = Account::scoped(&acme)
                    .delete_all()
                    .execute(&mut contoso_conn);
                for result in [insert, delete] {
                    assert!(
                        matches!(&result, Err(DieselError::QueryBuilderError(e)) if e.is::<tenant_diesel::TenantMismatch>()),
                        "{result:?}"
                    );
                }
                assert_eq!(db.all_accounts(), before);
            }

            #[test]
            fn a_failed_transaction_rolls_back_its_scoped_writes() {
                let mut db = TestDb::new();
                let ctx = ctx(ACME);
                let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                let result: Result<(), DieselError> = conn.transaction(|tx| {
                    Account::scoped(&ctx).delete_all().execute(tx)?;
                    Err(DieselError::RollbackTransaction)
                });
                assert_eq!(result, Err(DieselError::RollbackTransaction));
                let count: i64 = Account::scoped(&ctx).count().get_result(&mut conn).unwrap();
                assert_eq!(count, 3);
            }

            $($returning)*
        }
    };
}

/// The writes of [`writes_suite!`] that give their rows back (`RETURNING`).
#[doc(hidden)]
#[macro_export]
macro_rules! __returning_writes {
    () => {
        #[test]
        fn insert_returning_gives_back_the_stamped_row() {
            let mut db = TestDb::new();
            let ctx = ctx(ACME);
            let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
            let row: Account = Account::scoped(&ctx)
                .insert(&new_account(11, "Hooli"))
                .get_result(&mut conn)
                .unwrap();
            assert_eq!(
                row,
                Account {
                    id: 11,
                    tenant_id: ACME,
                    name: "Hooli".into(),
                    balance: 0
                }
            );
        }

        #[test]
        fn update_returning_gives_back_the_updated_row() {
            let mut db = TestDb::new();
            let ctx = ctx(ACME);
            let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
            let row: Account = Account::scoped(&ctx)
                .update(3)
                .set_column(accounts::balance, 333)
                .get_result(&mut conn)
                .unwrap();
            assert_eq!((row.id, row.balance, row.tenant_id), (3, 333, ACME));
            let tampered = Account::scoped(&ctx)
                .update(4)
                .set_column(accounts::balance, 0)
                .get_result::<Account>(&mut conn);
            assert!(
                matches!(tampered, Err(DieselError::NotFound)),
                "{tampered:?}"
            );
        }
    };
}
