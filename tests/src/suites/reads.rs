//! The read path: every scoped read sees only the current tenant's rows.

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
