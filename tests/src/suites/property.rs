//! Property: a random sequence of scoped operations on random tenants never
//! reads or changes another tenant's row.

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

            $crate::__property_steps!();

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
