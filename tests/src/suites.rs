//! The backend-independent suites: each macro expands to a module of tests that
//! runs against the `TestDb` and `Backend` of the module that invokes it, so the
//! same tests run on SQLite and on PostgreSQL (`tests/sqlite.rs`, `tests/postgres.rs`).

/// The read path on SQLite: every scoped read sees only the current tenant's rows.
#[macro_export]
macro_rules! reads_suite {
    () => {
        mod reads {
            #![allow(unused_imports)]
            use super::{Backend, TestDb};

            use diesel::result::Error as DieselError;
            use tenant_diesel::prelude::*;
            use $crate::*;

            fn acme_accounts() -> Vec<Account> {
                vec![
                    Account {
                        id: 1,
                        tenant_id: ACME,
                        name: "Globex".into(),
                        balance: 100,
                    },
                    Account {
                        id: 3,
                        tenant_id: ACME,
                        name: "Initech".into(),
                        balance: 300,
                    },
                    Account {
                        id: 5,
                        tenant_id: ACME,
                        name: "Acme Anvils".into(),
                        balance: 500,
                    },
                ]
            }

            #[test]
            fn loading_the_scope_returns_only_the_current_tenants_rows() {
                let mut db = TestDb::new();
                for tenant in [ACME, CONTOSO] {
                    let ctx = ctx(tenant);
                    let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                    let rows: Vec<Account> = Account::scoped(&ctx)
                        .order(accounts::id)
                        .load(&mut conn)
                        .unwrap();
                    assert_eq!(rows.len(), 3);
                    assert!(rows.iter().all(|row| row.tenant_id == tenant), "{rows:?}");
                }
                let ctx = ctx(ACME);
                let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                let rows: Vec<Account> = Account::scoped(&ctx)
                    .order(accounts::id)
                    .load(&mut conn)
                    .unwrap();
                assert_eq!(rows, acme_accounts());
            }

            #[test]
            fn a_filter_on_a_shared_name_matches_only_the_current_tenants_row() {
                let mut db = TestDb::new();
                let ctx = ctx(CONTOSO);
                let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                let globex: Vec<Account> = Account::scoped(&ctx)
                    .filter(accounts::name.eq("Globex"))
                    .load(&mut conn)
                    .unwrap();
                assert_eq!(globex.len(), 1);
                assert_eq!((globex[0].id, globex[0].tenant_id), (2, CONTOSO));
            }

            #[test]
            fn order_limit_offset_select_and_distinct_stay_in_the_tenant() {
                let mut db = TestDb::new();
                let ctx = ctx(ACME);
                let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());

                let names: Vec<String> = Account::scoped(&ctx)
                    .select(accounts::name)
                    .order(accounts::name)
                    .then_order_by(accounts::id.desc())
                    .limit(2)
                    .offset(1)
                    .load(&mut conn)
                    .unwrap();
                assert_eq!(names, ["Globex", "Initech"]);

                let distinct: Vec<String> = Account::scoped(&ctx)
                    .select(accounts::name)
                    .distinct()
                    .order(accounts::name)
                    .get_results(&mut conn)
                    .unwrap();
                assert_eq!(distinct, ["Acme Anvils", "Globex", "Initech"]);

                let selected: Vec<Account> = Account::scoped(&ctx)
                    .select(Account::as_select())
                    .filter(accounts::balance.ge(300))
                    .order(accounts::balance.desc())
                    .load(&mut conn)
                    .unwrap();
                assert_eq!(selected.iter().map(|a| a.id).collect::<Vec<_>>(), [5, 3]);
            }

            #[test]
            fn count_counts_only_the_current_tenants_rows() {
                let mut db = TestDb::new();
                let ctx = ctx(ACME);
                let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                let all: i64 = Account::scoped(&ctx).count().get_result(&mut conn).unwrap();
                let rich: i64 = Account::scoped(&ctx)
                    .filter(accounts::balance.gt(150))
                    .count()
                    .get_result(&mut conn)
                    .unwrap();
                assert_eq!((all, rich), (3, 2));
            }

            #[test]
            fn find_of_another_tenants_id_is_not_found() {
                let mut db = TestDb::new();
                let ctx = ctx(ACME);
                let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());

                let own: Account = Account::scoped(&ctx).find(3).first(&mut conn).unwrap();
                assert_eq!(own.name, "Initech");

                // Account 4 exists, under the same name, but belongs to Contoso.
                let tampered = Account::scoped(&ctx).find(4).first::<Account>(&mut conn);
                assert!(
                    matches!(tampered, Err(DieselError::NotFound)),
                    "{tampered:?}"
                );
                let optional = Account::scoped(&ctx)
                    .find(4)
                    .get_result::<Account>(&mut conn)
                    .optional();
                assert_eq!(optional.unwrap(), None);
            }

            #[test]
            fn overlapping_ids_resolve_to_the_current_tenants_row() {
                let mut db = TestDb::new();
                for (tenant, body) in [(ACME, "acme note one"), (CONTOSO, "contoso note one")] {
                    let ctx = ctx(tenant);
                    let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                    let one: Note = Note::scoped(&ctx)
                        .filter(notes::id.eq(1))
                        .first(&mut conn)
                        .unwrap();
                    assert_eq!((one.owner, one.body.as_str()), (tenant, body));
                }

                // The composite key `(tenant_id, id)`: `find` takes the id, the
                // tenant comes from the context, so each tenant finds its own note 1.
                for (tenant, body) in [(ACME, "acme note one"), (CONTOSO, "contoso note one")] {
                    let ctx = ctx(tenant);
                    let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                    let one: Note = Note::scoped(&ctx).find(1).first(&mut conn).unwrap();
                    assert_eq!((one.owner, one.body.as_str()), (tenant, body));
                }
                let ctx = ctx(ACME);
                let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                let own: Note = Note::scoped(&ctx).find(2).first(&mut conn).unwrap();
                assert_eq!(own.body, "acme note two");
                assert_eq!(
                    Note::scoped(&ctx).find(3).first::<Note>(&mut conn),
                    Err(DieselError::NotFound)
                );
            }

            #[test]
            fn global_tables_are_queryable_on_a_tenant_connection() {
                let mut db = TestDb::new();
                let ctx = ctx(CONTOSO);
                let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                let all: Vec<Plan> = global(plans::table)
                    .order(plans::id)
                    .load(&mut conn)
                    .unwrap();
                assert_eq!(
                    all.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
                    ["free", "pro"]
                );
                let slug: String = global(tenants::table)
                    .find(ACME)
                    .select(tenants::slug)
                    .first(&mut conn)
                    .unwrap();
                assert_eq!(slug, "acme");
            }

            #[test]
            fn an_owned_connection_works_like_a_borrowed_one() {
                let ctx = ctx(CONTOSO);
                let mut conn = {
                    let db = TestDb::new();
                    TenantConn::with_setting(db.app, &ctx, db.setting)
                };
                let count: i64 = Account::scoped(&ctx).count().get_result(&mut conn).unwrap();
                assert_eq!(count, 3);
                assert_eq!(conn.ctx().tenant_id(), TenantId::new(CONTOSO));
            }

            #[test]
            fn group_by_and_having_aggregate_only_the_current_tenants_rows() {
                use tenant_diesel::dsl::{count_star, max};
                let mut db = TestDb::new();
                let ctx = ctx(ACME);
                let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                let per_account: Vec<(i64, i64, Option<i64>)> = Invoice::scoped(&ctx)
                    .group_by(invoices::account_id)
                    .having(count_star().ge(1))
                    .select((invoices::account_id, count_star(), max(invoices::amount)))
                    .order(invoices::account_id)
                    .load(&mut conn)
                    .unwrap();
                // Acme's invoices 1, 3 and 5 (the last pointing at account 2); none of Contoso's.
                assert_eq!(
                    per_account,
                    [(1, 1, Some(10)), (2, 1, Some(50)), (3, 1, Some(30))]
                );
            }

            #[test]
            fn a_boxed_scope_stays_scoped_while_it_is_built_dynamically() {
                let mut db = TestDb::new();
                let ctx = ctx(CONTOSO);
                let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                for (name, expected) in [(Some("Globex"), vec![2]), (None, vec![2, 4, 6])] {
                    let mut query = Account::scoped(&ctx).into_boxed::<Backend>();
                    if let Some(name) = name {
                        query = query.filter(accounts::name.eq(name));
                    }
                    let ids: Vec<i64> = query
                        .select(accounts::id)
                        .order(accounts::id)
                        .load(&mut conn)
                        .unwrap();
                    assert_eq!(ids, expected);
                }
            }
        }
    };
}

/// Writes on SQLite: inserts stamp the tenant, updates and deletes reach only the
/// current tenant's rows, and a tampered id changes nothing and says so.
#[macro_export]
macro_rules! writes_suite {
    () => {
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
        }
    };
}

/// Scoped joins on SQLite: both sides stay in the tenant, even across a row that
/// points at another tenant's parent.
#[macro_export]
macro_rules! joins_suite {
    () => {
        mod joins {
            #![allow(unused_imports)]
            use super::{Backend, TestDb};

            use tenant_diesel::prelude::*;
            use $crate::*;

            #[test]
            fn an_inner_join_pairs_only_rows_of_the_same_tenant() {
                let mut db = TestDb::new();
                let ctx = ctx(ACME);
                let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                let pairs: Vec<(i64, String)> = Invoice::scoped(&ctx)
                    .inner_join(accounts::table)
                    .select((invoices::id, accounts::name))
                    .order(invoices::id)
                    .load(&mut conn)
                    .unwrap();
                // Invoice 5 points at Contoso's account 2: the tenant-equality term drops it.
                assert_eq!(
                    pairs,
                    [(1, "Globex".to_string()), (3, "Initech".to_string())]
                );
            }

            #[test]
            fn a_join_of_composite_keys_pairs_each_tenants_rows_only() {
                let mut db = TestDb::new();
                // Both tenants have a comment 1 on a note 1: a join without the
                // tenant equality in `ON` would pair Acme's comment with Contoso's note.
                for (tenant, expected) in [
                    (
                        ACME,
                        vec![
                            (1, "acme note one".to_string()),
                            (2, "acme note two".to_string()),
                        ],
                    ),
                    (CONTOSO, vec![(1, "contoso note one".to_string())]),
                ] {
                    let ctx = ctx(tenant);
                    let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                    let pairs: Vec<(i64, String)> = Comment::scoped(&ctx)
                        .inner_join(notes::table)
                        .select((comments::id, notes::body))
                        .order(comments::id)
                        .load(&mut conn)
                        .unwrap();
                    assert_eq!(pairs, expected);
                    let from_the_parent: Vec<(String, Option<String>)> = Note::scoped(&ctx)
                        .left_join(comments::table)
                        .select((notes::body, comments::body.nullable()))
                        .order(notes::id)
                        .load(&mut conn)
                        .unwrap();
                    assert!(
                        from_the_parent.iter().all(|(note, comment)| {
                            comment
                                .as_deref()
                                .is_none_or(|c| c.split(' ').next() == note.split(' ').next())
                        }),
                        "{from_the_parent:?}"
                    );
                }
            }

            #[test]
            fn a_left_join_keeps_the_row_but_not_the_other_tenants_parent() {
                let mut db = TestDb::new();
                let ctx = ctx(ACME);
                let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                let rows: Vec<(i64, Option<String>)> = Invoice::scoped(&ctx)
                    .left_join(accounts::table)
                    .select((invoices::id, accounts::name.nullable()))
                    .order(invoices::id)
                    .load(&mut conn)
                    .unwrap();
                assert_eq!(
                    rows,
                    [
                        (1, Some("Globex".into())),
                        (3, Some("Initech".into())),
                        (5, None)
                    ]
                );
            }

            #[test]
            fn a_join_from_the_parent_side_and_filters_on_both_tables() {
                let mut db = TestDb::new();
                let ctx = ctx(CONTOSO);
                let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                let totals: Vec<(String, i64)> = Account::scoped(&ctx)
                    .inner_join(invoices::table)
                    .filter(invoices::amount.gt(15))
                    .select((accounts::name, invoices::amount))
                    .order(accounts::name)
                    .load(&mut conn)
                    .unwrap();
                assert_eq!(
                    totals,
                    [("Globex".to_string(), 20), ("Initech".to_string(), 40)]
                );

                let unbilled: Vec<String> = Account::scoped(&ctx)
                    .left_join(invoices::table)
                    .filter(invoices::id.is_null())
                    .select(accounts::name)
                    .load(&mut conn)
                    .unwrap();
                assert_eq!(unbilled, ["Contoso Cables"]);
            }

            #[test]
            fn a_join_to_a_global_table_needs_no_tenant_filter_on_it() {
                let mut db = TestDb::new();
                for (tenant, plan) in [(ACME, "pro"), (CONTOSO, "free")] {
                    let ctx = ctx(tenant);
                    let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                    let names: Vec<String> = Subscription::scoped(&ctx)
                        .inner_join(plans::table)
                        .select(plans::name)
                        .load(&mut conn)
                        .unwrap();
                    assert_eq!(names, [plan]);
                    let left: Vec<Option<String>> = Subscription::scoped(&ctx)
                        .left_join(plans::table)
                        .select(plans::name.nullable())
                        .load(&mut conn)
                        .unwrap();
                    assert_eq!(left, [Some(plan.to_string())]);
                }
            }
        }
    };
}

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

/// Property: under random tenants, a random sequence of scoped reads, inserts,
/// updates, deletes and joins never reads or changes another tenant's row.
///
/// Every step runs on the tenant's `TenantConn` and is checked against an
/// in-memory model of the whole database; after every step the whole database
/// (read around the wall) must equal the model.
///
/// `$cases` is the number of random sequences.
#[macro_export]
macro_rules! property_suite {
    ($cases:expr) => {
        mod property {
            #![allow(unused_imports)]
            use super::{Backend, TestDb};

            use std::collections::btree_map::{BTreeMap, Entry};

            use diesel::connection::SimpleConnection;
            use diesel::result::Error as DieselError;
            use proptest::prelude::*;
            use tenant_diesel::prelude::*;
            use $crate::*;

            const TENANTS: [i64; 3] = [1, 2, 3];
            const NAMES: [&str; 3] = ["Globex", "Initech", "Umbrella"];

            /// One step of the sequence. Ids come from a small range so that they collide
            /// across tenants all the time.
            #[derive(Debug, Clone)]
            enum Step {
                Insert {
                    tenant: i64,
                    id: i64,
                    name: &'static str,
                },
                Rename {
                    tenant: i64,
                    id: i64,
                    name: &'static str,
                },
                Delete {
                    tenant: i64,
                    id: i64,
                },
                DeleteNamed {
                    tenant: i64,
                    name: &'static str,
                },
                ReadAll {
                    tenant: i64,
                },
                Find {
                    tenant: i64,
                    id: i64,
                },
                ReadNamed {
                    tenant: i64,
                    name: &'static str,
                },
                InsertInvoice {
                    tenant: i64,
                    id: i64,
                    account_id: i64,
                },
                Join {
                    tenant: i64,
                },
                Mismatched {
                    scope: i64,
                    connection: i64,
                    id: i64,
                },
                // The checked slots of issue #13 in their allowed forms: a
                // `set_column` value that is an expression of the row's own
                // columns, `IN` over values, and an aggregate.
                Suffix {
                    tenant: i64,
                    id: i64,
                },
                ReadSome {
                    tenant: i64,
                    ids: (i64, i64),
                },
                Count {
                    tenant: i64,
                },
            }

            fn step() -> impl Strategy<Value = Step> {
                let tenant = || proptest::sample::select(TENANTS.to_vec());
                let id = || 1_i64..=8;
                let name = || proptest::sample::select(NAMES.to_vec());
                prop_oneof![
                    3 => (tenant(), id(), name()).prop_map(|(tenant, id, name)| Step::Insert { tenant, id, name }),
                    2 => (tenant(), id(), name()).prop_map(|(tenant, id, name)| Step::Rename { tenant, id, name }),
                    1 => (tenant(), id()).prop_map(|(tenant, id)| Step::Delete { tenant, id }),
                    1 => (tenant(), name()).prop_map(|(tenant, name)| Step::DeleteNamed { tenant, name }),
                    2 => tenant().prop_map(|tenant| Step::ReadAll { tenant }),
                    2 => (tenant(), id()).prop_map(|(tenant, id)| Step::Find { tenant, id }),
                    1 => (tenant(), name()).prop_map(|(tenant, name)| Step::ReadNamed { tenant, name }),
                    2 => (tenant(), id(), id()).prop_map(|(tenant, id, account_id)| Step::InsertInvoice { tenant, id, account_id }),
                    1 => tenant().prop_map(|tenant| Step::Join { tenant }),
                    1 => (tenant(), tenant(), id()).prop_map(|(scope, connection, id)| Step::Mismatched { scope, connection, id }),
                    1 => (tenant(), id()).prop_map(|(tenant, id)| Step::Suffix { tenant, id }),
                    1 => (tenant(), id(), id()).prop_map(|(tenant, a, b)| Step::ReadSome { tenant, ids: (a, b) }),
                    1 => tenant().prop_map(|tenant| Step::Count { tenant }),
                ]
            }

            /// What the database should hold: accounts (their names) and invoices
            /// (their accounts) by (tenant, id), as the tables' keys lead with the
            /// tenant: an id may repeat across tenants.
            #[derive(Debug, Default, Clone, PartialEq)]
            struct Model {
                accounts: BTreeMap<(i64, i64), String>,
                invoices: BTreeMap<(i64, i64), i64>,
            }

            impl Model {
                fn accounts_of(&self, tenant: i64) -> Vec<(i64, String)> {
                    self.accounts
                        .range((tenant, i64::MIN)..=(tenant, i64::MAX))
                        .map(|((_, id), name)| (*id, name.clone()))
                        .collect()
                }
            }

            /// The whole database, read around the wall.
            fn snapshot(db: &mut TestDb) -> Model {
                let accounts: Vec<(i64, i64, String)> = diesel::RunQueryDsl::load(
                    accounts::table.select((accounts::id, accounts::tenant_id, accounts::name)),
                    &mut db.observer,
                )
                .unwrap();
                let invoices: Vec<(i64, i64, i64)> = diesel::RunQueryDsl::load(
                    invoices::table.select((invoices::id, invoices::tenant_id, invoices::account_id)),
                    &mut db.observer,
                )
                .unwrap();
                Model {
                    accounts: accounts
                        .into_iter()
                        .map(|(id, t, name)| ((t, id), name))
                        .collect(),
                    invoices: invoices
                        .into_iter()
                        .map(|(id, t, a)| ((t, id), a))
                        .collect(),
                }
            }

            fn run(db: &mut TestDb, model: &mut Model, step: &Step) -> Result<(), TestCaseError> {
                match *step {
                    Step::Insert { tenant, id, name } => {
                        let ctx = ctx(tenant);
                        let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                        let row = NewAccount {
                            id,
                            name: name.into(),
                            balance: 0,
                        };
                        let result = Account::scoped(&ctx).insert(&row).execute(&mut conn);
                        match model.accounts.entry((tenant, id)) {
                            // The tenant already has the id: refused, nothing changes.
                            // Another tenant's same id is no obstacle (and no oracle).
                            Entry::Occupied(_) => prop_assert!(result.is_err(), "{result:?}"),
                            Entry::Vacant(slot) => {
                                prop_assert_eq!(result, Ok(1));
                                slot.insert(name.into());
                            }
                        }
                    }
                    Step::Rename { tenant, id, name } => {
                        let ctx = ctx(tenant);
                        let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                        let changed = Account::scoped(&ctx)
                            .update(id)
                            .set_column(accounts::name, name)
                            .execute(&mut conn);
                        match model.accounts.get_mut(&(tenant, id)) {
                            Some(old) => {
                                prop_assert_eq!(changed, Ok(1));
                                *old = name.into();
                            }
                            None => prop_assert_eq!(changed, Ok(0)),
                        }
                    }
                    Step::Delete { tenant, id } => {
                        let ctx = ctx(tenant);
                        let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                        let removed = Account::scoped(&ctx).delete(id).execute(&mut conn);
                        let own = model.accounts.remove(&(tenant, id)).is_some();
                        prop_assert_eq!(removed, Ok(usize::from(own)));
                    }
                    Step::DeleteNamed { tenant, name } => {
                        let ctx = ctx(tenant);
                        let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                        let removed = Account::scoped(&ctx)
                            .filter(accounts::name.eq(name))
                            .delete_all()
                            .execute(&mut conn);
                        let before = model.accounts.len();
                        model
                            .accounts
                            .retain(|(owner, _), n| !(*owner == tenant && n == name));
                        prop_assert_eq!(removed, Ok(before - model.accounts.len()));
                    }
                    Step::ReadAll { tenant } => {
                        let ctx = ctx(tenant);
                        let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                        let rows: Vec<(i64, String)> = Account::scoped(&ctx)
                            .select((accounts::id, accounts::name))
                            .order(accounts::id)
                            .load(&mut conn)
                            .unwrap();
                        prop_assert_eq!(rows, model.accounts_of(tenant));
                    }
                    Step::Find { tenant, id } => {
                        let ctx = ctx(tenant);
                        let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                        let found = Account::scoped(&ctx)
                            .find(id)
                            .select(accounts::name)
                            .first::<String>(&mut conn)
                            .optional()
                            .unwrap();
                        let expected = model.accounts.get(&(tenant, id)).cloned();
                        prop_assert_eq!(found, expected);
                    }
                    Step::ReadNamed { tenant, name } => {
                        let ctx = ctx(tenant);
                        let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                        let ids: Vec<i64> = Account::scoped(&ctx)
                            .filter(accounts::name.eq(name))
                            .select(accounts::id)
                            .order(accounts::id)
                            .load(&mut conn)
                            .unwrap();
                        let expected: Vec<i64> = model
                            .accounts_of(tenant)
                            .into_iter()
                            .filter(|(_, n)| n == name)
                            .map(|(id, _)| id)
                            .collect();
                        prop_assert_eq!(ids, expected);
                    }
                    Step::InsertInvoice {
                        tenant,
                        id,
                        account_id,
                    } => {
                        let ctx = ctx(tenant);
                        let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                        // The account id may be another tenant's: the row is stored, but no
                        // scoped join may ever follow it.
                        let row = NewInvoice {
                            id,
                            account_id,
                            amount: 1,
                        };
                        let result = Invoice::scoped(&ctx).insert(&row).execute(&mut conn);
                        match model.invoices.entry((tenant, id)) {
                            Entry::Occupied(_) => prop_assert!(result.is_err(), "{result:?}"),
                            Entry::Vacant(slot) => {
                                prop_assert_eq!(result, Ok(1));
                                slot.insert(account_id);
                            }
                        }
                    }
                    Step::Join { tenant } => {
                        let ctx = ctx(tenant);
                        let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                        let pairs: Vec<(i64, i64)> = Invoice::scoped(&ctx)
                            .inner_join(accounts::table)
                            .select((invoices::id, accounts::id))
                            .order(invoices::id)
                            .load(&mut conn)
                            .unwrap();
                        // The join pairs an invoice with its own tenant's account of
                        // that id, never another tenant's.
                        let expected: Vec<(i64, i64)> = model
                            .invoices
                            .range((tenant, i64::MIN)..=(tenant, i64::MAX))
                            .filter(|(_, account)| model.accounts.contains_key(&(tenant, **account)))
                            .map(|((_, id), account)| (*id, *account))
                            .collect();
                        prop_assert_eq!(pairs, expected);
                        let left: Vec<(i64, Option<i64>)> = Invoice::scoped(&ctx)
                            .left_join(accounts::table)
                            .select((invoices::id, accounts::id.nullable()))
                            .order(invoices::id)
                            .load(&mut conn)
                            .unwrap();
                        prop_assert!(left.iter().all(|(id, _)| model.invoices.contains_key(&(tenant, *id))));
                        prop_assert!(left
                            .iter()
                            .all(|(_, account)| account.is_none_or(|a| model.accounts.contains_key(&(tenant, a)))));
                    }
                    Step::Suffix { tenant, id } => {
                        let ctx = ctx(tenant);
                        let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                        let changed = Account::scoped(&ctx)
                            .update(id)
                            .set_column(accounts::name, accounts::name.concat("!"))
                            .execute(&mut conn);
                        match model.accounts.get_mut(&(tenant, id)) {
                            Some(name) => {
                                prop_assert_eq!(changed, Ok(1));
                                name.push('!');
                            }
                            None => prop_assert_eq!(changed, Ok(0)),
                        }
                    }
                    Step::ReadSome { tenant, ids: (a, b) } => {
                        let ctx = ctx(tenant);
                        let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                        let found: Vec<i64> = Account::scoped(&ctx)
                            .filter(accounts::id.eq_any(vec![a, b]))
                            .select(accounts::id)
                            .order(accounts::id)
                            .load(&mut conn)
                            .unwrap();
                        let expected: Vec<i64> = model
                            .accounts_of(tenant)
                            .into_iter()
                            .map(|(id, _)| id)
                            .filter(|id| *id == a || *id == b)
                            .collect();
                        prop_assert_eq!(found, expected);
                    }
                    Step::Count { tenant } => {
                        let ctx = ctx(tenant);
                        let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
                        let counted: i64 = Account::scoped(&ctx)
                            .select(tenant_diesel::dsl::count(accounts::id))
                            .get_result(&mut conn)
                            .unwrap();
                        prop_assert_eq!(counted as usize, model.accounts_of(tenant).len());
                    }
                    Step::Mismatched {
                        scope,
                        connection,
                        id,
                    } => {
                        let scope_ctx = ctx(scope);
                        let conn_ctx = ctx(connection);
                        let mut conn = TenantConn::with_setting(&mut db.app, &conn_ctx, db.setting.clone());
                        let result = Account::scoped(&scope_ctx).delete(id).execute(&mut conn);
                        if scope == connection {
                            let own = model.accounts.remove(&(scope, id)).is_some();
                            prop_assert_eq!(result, Ok(usize::from(own)));
                        } else {
                            prop_assert!(
                                matches!(&result, Err(DieselError::QueryBuilderError(e)) if e.is::<tenant_diesel::TenantMismatch>()),
                                "{result:?}"
                            );
                        }
                    }
                }
                Ok(())
            }

            #[test]
            fn no_step_reads_or_changes_another_tenants_rows() {
                let config = ProptestConfig {
                    cases: $cases,
                    failure_persistence: None,
                    ..ProptestConfig::default()
                };
                // One database for every case, emptied before each: creating one per case
                // would dominate the run on PostgreSQL.
                let db = std::cell::RefCell::new(TestDb::new());
                let steps = proptest::collection::vec(step(), 1..40);
                let result = proptest::test_runner::TestRunner::new(config).run(&steps, |steps| {
                    let mut db = db.borrow_mut();
                    db.observer
                        .batch_execute("DELETE FROM invoices; DELETE FROM accounts; DELETE FROM comments; DELETE FROM notes;")
                        .unwrap();
                    let mut model = Model::default();
                    for step in &steps {
                        run(&mut db, &mut model, step)?;
                        prop_assert_eq!(&snapshot(&mut db), &model, "after {:?}", step);
                    }
                    Ok(())
                });
                if let Err(failure) = result {
                    panic!("{failure}");
                }
            }
        }
    };
}
