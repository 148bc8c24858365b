//! Scoped joins: both sides stay in the tenant.

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
