//! Property: under random tenants, a random sequence of scoped reads, inserts,
//! updates, deletes and joins never reads or changes another tenant's row.
//!
//! Every step runs on the tenant's `TenantConn` and is checked against an
//! in-memory model of the whole database; after every step the whole database
//! (read around the wall) must equal the model.

use std::collections::btree_map::{BTreeMap, Entry};

use diesel::connection::SimpleConnection;
use diesel::result::Error as DieselError;
use proptest::prelude::*;
use tenant_diesel::prelude::*;
use tenant_diesel_tests::*;

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
    ]
}

/// What the database should hold: accounts and invoices by id.
#[derive(Debug, Default, Clone, PartialEq)]
struct Model {
    accounts: BTreeMap<i64, (i64, String)>,
    invoices: BTreeMap<i64, (i64, i64)>,
}

impl Model {
    fn accounts_of(&self, tenant: i64) -> Vec<(i64, String)> {
        self.accounts
            .iter()
            .filter(|(_, (owner, _))| *owner == tenant)
            .map(|(id, (_, name))| (*id, name.clone()))
            .collect()
    }
}

/// The whole database, read around the wall.
fn snapshot(raw: &mut SqliteConnection) -> Model {
    let accounts: Vec<(i64, i64, String)> = diesel::RunQueryDsl::load(
        accounts::table.select((accounts::id, accounts::tenant_id, accounts::name)),
        raw,
    )
    .unwrap();
    let invoices: Vec<(i64, i64, i64)> = diesel::RunQueryDsl::load(
        invoices::table.select((invoices::id, invoices::tenant_id, invoices::account_id)),
        raw,
    )
    .unwrap();
    Model {
        accounts: accounts
            .into_iter()
            .map(|(id, t, name)| (id, (t, name)))
            .collect(),
        invoices: invoices
            .into_iter()
            .map(|(id, t, a)| (id, (t, a)))
            .collect(),
    }
}

fn run(raw: &mut SqliteConnection, model: &mut Model, step: &Step) -> Result<(), TestCaseError> {
    match *step {
        Step::Insert { tenant, id, name } => {
            let ctx = ctx(tenant);
            let mut conn = TenantConn::new(&mut *raw, &ctx);
            let row = NewAccount {
                id,
                name: name.into(),
                balance: 0,
            };
            let result = Account::scoped(&ctx).insert(&row).execute(&mut conn);
            match model.accounts.entry(id) {
                // The id is taken, maybe by another tenant: refused, nothing changes.
                Entry::Occupied(_) => prop_assert!(result.is_err(), "{result:?}"),
                Entry::Vacant(slot) => {
                    prop_assert_eq!(result, Ok(1));
                    slot.insert((tenant, name.into()));
                }
            }
        }
        Step::Rename { tenant, id, name } => {
            let ctx = ctx(tenant);
            let mut conn = TenantConn::new(&mut *raw, &ctx);
            let changed = Account::scoped(&ctx)
                .update(id)
                .set_column(accounts::name, name)
                .execute(&mut conn);
            match model.accounts.get_mut(&id) {
                Some((owner, old)) if *owner == tenant => {
                    prop_assert_eq!(changed, Ok(1));
                    *old = name.into();
                }
                _ => prop_assert_eq!(changed, Ok(0)),
            }
        }
        Step::Delete { tenant, id } => {
            let ctx = ctx(tenant);
            let mut conn = TenantConn::new(&mut *raw, &ctx);
            let removed = Account::scoped(&ctx).delete(id).execute(&mut conn);
            let own = model
                .accounts
                .get(&id)
                .is_some_and(|(owner, _)| *owner == tenant);
            prop_assert_eq!(removed, Ok(usize::from(own)));
            if own {
                model.accounts.remove(&id);
            }
        }
        Step::DeleteNamed { tenant, name } => {
            let ctx = ctx(tenant);
            let mut conn = TenantConn::new(&mut *raw, &ctx);
            let removed = Account::scoped(&ctx)
                .filter(accounts::name.eq(name))
                .delete_all()
                .execute(&mut conn);
            let before = model.accounts.len();
            model
                .accounts
                .retain(|_, (owner, n)| !(*owner == tenant && n == name));
            prop_assert_eq!(removed, Ok(before - model.accounts.len()));
        }
        Step::ReadAll { tenant } => {
            let ctx = ctx(tenant);
            let mut conn = TenantConn::new(&mut *raw, &ctx);
            let rows: Vec<(i64, String)> = Account::scoped(&ctx)
                .select((accounts::id, accounts::name))
                .order(accounts::id)
                .load(&mut conn)
                .unwrap();
            prop_assert_eq!(rows, model.accounts_of(tenant));
        }
        Step::Find { tenant, id } => {
            let ctx = ctx(tenant);
            let mut conn = TenantConn::new(&mut *raw, &ctx);
            let found = Account::scoped(&ctx)
                .find(id)
                .select(accounts::name)
                .first::<String>(&mut conn)
                .optional()
                .unwrap();
            let expected = model
                .accounts
                .get(&id)
                .filter(|(owner, _)| *owner == tenant)
                .map(|(_, name)| name.clone());
            prop_assert_eq!(found, expected);
        }
        Step::ReadNamed { tenant, name } => {
            let ctx = ctx(tenant);
            let mut conn = TenantConn::new(&mut *raw, &ctx);
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
            let mut conn = TenantConn::new(&mut *raw, &ctx);
            // The account id may be another tenant's: the row is stored, but no
            // scoped join may ever follow it.
            let row = NewInvoice {
                id,
                account_id,
                amount: 1,
            };
            let result = Invoice::scoped(&ctx).insert(&row).execute(&mut conn);
            match model.invoices.entry(id) {
                Entry::Occupied(_) => prop_assert!(result.is_err(), "{result:?}"),
                Entry::Vacant(slot) => {
                    prop_assert_eq!(result, Ok(1));
                    slot.insert((tenant, account_id));
                }
            }
        }
        Step::Join { tenant } => {
            let ctx = ctx(tenant);
            let mut conn = TenantConn::new(&mut *raw, &ctx);
            let pairs: Vec<(i64, i64)> = Invoice::scoped(&ctx)
                .inner_join(accounts::table)
                .select((invoices::id, accounts::id))
                .order(invoices::id)
                .load(&mut conn)
                .unwrap();
            let expected: Vec<(i64, i64)> = model
                .invoices
                .iter()
                .filter(|(_, (owner, account))| {
                    *owner == tenant
                        && model
                            .accounts
                            .get(account)
                            .is_some_and(|(a_owner, _)| *a_owner == tenant)
                })
                .map(|(id, (_, account))| (*id, *account))
                .collect();
            prop_assert_eq!(pairs, expected);
            let left: Vec<(i64, Option<i64>)> = Invoice::scoped(&ctx)
                .left_join(accounts::table)
                .select((invoices::id, accounts::id.nullable()))
                .order(invoices::id)
                .load(&mut conn)
                .unwrap();
            prop_assert!(left.iter().all(|(id, _)| model.invoices[id].0 == tenant));
            prop_assert!(left
                .iter()
                .all(|(_, account)| account.is_none_or(|a| model.accounts[&a].0 == tenant)));
        }
        Step::Mismatched {
            scope,
            connection,
            id,
        } => {
            let scope_ctx = ctx(scope);
            let conn_ctx = ctx(connection);
            let mut conn = TenantConn::new(&mut *raw, &conn_ctx);
            let result = Account::scoped(&scope_ctx).delete(id).execute(&mut conn);
            if scope == connection {
                let own = model
                    .accounts
                    .get(&id)
                    .is_some_and(|(owner, _)| *owner == scope);
                prop_assert_eq!(result, Ok(usize::from(own)));
                if own {
                    model.accounts.remove(&id);
                }
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn no_step_reads_or_changes_another_tenants_rows(steps in proptest::collection::vec(step(), 1..40)) {
        let mut raw = database();
        raw.batch_execute(
            "DELETE FROM invoices; DELETE FROM accounts; DELETE FROM notes;
             INSERT INTO tenants VALUES (3, 'umbrella', 'Umbrella');",
        )
        .unwrap();
        let mut model = Model::default();
        for step in &steps {
            run(&mut raw, &mut model, step)?;
            prop_assert_eq!(&snapshot(&mut raw), &model, "after {:?}", step);
        }
    }
}
