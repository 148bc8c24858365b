//! The database wall on PostgreSQL: row-level security refuses what the types
//! would let through, driven by the same tenant setting. Every test is paired with
//! a control showing that it would fail if the wall were missing.
//!
//! These tests play the attacker and the database administrator, so they write raw
//! SQL on purpose.
#![allow(clippy::disallowed_methods)]

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, Pool};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::Text;
use diesel::{Connection, QueryableByName};
use tenant_diesel::postgres::{same_tenant_foreign_key_sql, RlsTable, TenantDb};
use tenant_diesel::prelude::*;
use tenant_diesel_tests::postgres::{
    rls_migrations, tenant_setting, wall_key, PgServer, TestDb, APP_ROLE,
};
use tenant_diesel_tests::*;

/// Runs `body` as a raw unit of work with `tenant` set the way the library sets it.
fn as_tenant<T>(
    conn: &mut PgConnection,
    tenant: Option<i64>,
    body: impl FnOnce(&mut PgConnection) -> QueryResult<T>,
) -> QueryResult<T> {
    conn.transaction(|conn| {
        if let Some(tenant) = tenant {
            let signed =
                wall_key().signed_value(TenantId::new(tenant), std::time::Duration::from_secs(30));
            diesel::sql_query("SELECT set_config('app.tenant_id', $1, true)")
                .bind::<Text, _>(signed)
                .execute(conn)?;
        }
        body(conn)
    })
}

fn raw_tenants_seen(conn: &mut PgConnection, tenant: Option<i64>) -> Vec<i64> {
    as_tenant(conn, tenant, |conn| {
        accounts::table
            .select(accounts::tenant_id)
            .order(accounts::id)
            .load(conn)
    })
    .unwrap()
}

#[test]
fn a_raw_query_sees_only_the_tenant_that_is_set_and_nothing_without_one() {
    let mut db = TestDb::new();
    assert_eq!(
        raw_tenants_seen(&mut db.app, Some(ACME)),
        [ACME, ACME, ACME]
    );
    assert_eq!(
        raw_tenants_seen(&mut db.app, Some(CONTOSO)),
        [CONTOSO, CONTOSO, CONTOSO]
    );
    assert_eq!(raw_tenants_seen(&mut db.app, None), Vec::<i64>::new());
    // An empty setting, as a reset connection has it, is no tenant either.
    let empty: Vec<i64> = as_tenant(&mut db.app, None, |conn| {
        conn.batch_execute("SELECT set_config('app.tenant_id', '', true)")?;
        accounts::table.select(accounts::tenant_id).load(conn)
    })
    .unwrap();
    assert!(empty.is_empty());

    // Control: the same raw query around the wall sees every tenant's rows.
    assert_eq!(raw_tenants_seen(&mut db.observer, None).len(), 6);
}

fn is_rls_violation(result: &QueryResult<usize>) -> bool {
    matches!(result, Err(DieselError::DatabaseError(DatabaseErrorKind::Unknown, info))
        if info.message().contains("row-level security"))
}

#[test]
fn writing_a_row_into_another_tenant_fails_with_the_rls_error() {
    let mut db = TestDb::new();
    let insert = |conn: &mut PgConnection, tenant| {
        as_tenant(conn, tenant, |conn| {
            diesel::insert_into(accounts::table)
                .values((
                    accounts::id.eq(99),
                    accounts::tenant_id.eq(CONTOSO),
                    accounts::name.eq("planted"),
                    accounts::balance.eq(0),
                ))
                .execute(conn)
        })
    };
    let moved = |conn: &mut PgConnection, tenant| {
        as_tenant(conn, tenant, |conn| {
            diesel::update(accounts::table.find(1))
                .set(accounts::tenant_id.eq(CONTOSO))
                .execute(conn)
        })
    };
    let r = insert(&mut db.app, Some(ACME));
    assert!(is_rls_violation(&r), "{r:?}");
    let r = insert(&mut db.app, None);
    assert!(is_rls_violation(&r), "{r:?}");
    let r = moved(&mut db.app, Some(ACME));
    assert!(is_rls_violation(&r), "{r:?}");
    assert_eq!(db.all_accounts()[0].tenant_id, ACME);

    // Control: without the wall the same statements go through.
    assert_eq!(insert(&mut db.observer, None), Ok(1));
    assert_eq!(moved(&mut db.observer, None), Ok(1));
}

#[test]
fn an_update_or_delete_aimed_at_another_tenants_row_changes_nothing() {
    let mut db = TestDb::new();
    let before = db.all_accounts();
    let rename = |conn: &mut PgConnection, tenant| {
        as_tenant(conn, tenant, |conn| {
            diesel::update(accounts::table.find(2))
                .set(accounts::name.eq("taken"))
                .execute(conn)
        })
    };
    let delete = |conn: &mut PgConnection, tenant| {
        as_tenant(conn, tenant, |conn| {
            diesel::delete(accounts::table.find(2)).execute(conn)
        })
    };
    assert_eq!(rename(&mut db.app, Some(ACME)), Ok(0));
    assert_eq!(delete(&mut db.app, Some(ACME)), Ok(0));
    assert_eq!(delete(&mut db.app, None), Ok(0));
    assert_eq!(db.all_accounts(), before);

    // Control: the owner of account 2 does change it.
    assert_eq!(rename(&mut db.app, Some(CONTOSO)), Ok(1));
    assert_eq!(delete(&mut db.app, Some(CONTOSO)), Ok(1));
}

#[derive(QueryableByName)]
struct Setting {
    #[diesel(sql_type = Text)]
    value: String,
}

fn current_setting(conn: &mut PgConnection) -> String {
    diesel::sql_query("SELECT COALESCE(current_setting('app.tenant_id', true), '') AS value")
        .get_result::<Setting>(conn)
        .unwrap()
        .value
}

#[test]
fn a_pool_of_one_alternating_tenants_never_carries_the_tenant_across_checkouts() {
    let db = TestDb::new();
    let server = PgServer::shared();
    let pool = Pool::builder()
        .max_size(1)
        .test_on_check_out(false)
        .build(ConnectionManager::<PgConnection>::new(
            server.url(APP_ROLE, &db.name),
        ))
        .unwrap();
    let tenant_db = TenantDb::with_setting(pool.clone(), tenant_setting());

    // Control: a session-level SET would leak to the next checkout, and the
    // check below would see it.
    pool.get()
        .unwrap()
        .batch_execute("SET app.tenant_id = '1'")
        .unwrap();
    assert_eq!(current_setting(&mut pool.get().unwrap()), "1");
    pool.get()
        .unwrap()
        .batch_execute("RESET app.tenant_id")
        .unwrap();

    for checkout in 0..200 {
        let tenant = if checkout % 2 == 0 { ACME } else { CONTOSO };
        let ctx = ctx(tenant);
        {
            let mut conn = tenant_db.conn(&ctx).unwrap();
            let rows: Vec<Account> = Account::scoped(&ctx).load(&mut conn).unwrap();
            assert_eq!(rows.len(), 3);
            assert!(
                rows.iter().all(|row| row.tenant_id == tenant),
                "checkout {checkout}: {rows:?}"
            );
            match checkout % 10 {
                // A unit of work that fails inside the database.
                3 => {
                    // Contoso's own account 2: the key is (tenant_id, id).
                    let failed = Account::scoped(&ctx)
                        .insert(&NewAccount {
                            id: 2,
                            name: "duplicate".into(),
                            balance: 0,
                        })
                        .execute(&mut conn);
                    assert!(failed.is_err());
                }
                // A transaction the application rolls back.
                7 => {
                    let rolled_back: Result<(), DieselError> = conn.transaction(|tx| {
                        Account::scoped(&ctx).delete_all().execute(tx)?;
                        Err(DieselError::RollbackTransaction)
                    });
                    assert!(rolled_back.is_err());
                }
                _ => {}
            }
        }
        // Between checkouts the connection carries no tenant.
        assert_eq!(
            current_setting(&mut pool.get().unwrap()),
            "",
            "after checkout {checkout}"
        );
        let nothing: Vec<i64> = accounts::table
            .select(accounts::id)
            .load(&mut pool.get().unwrap())
            .unwrap();
        assert!(nothing.is_empty(), "after checkout {checkout}: {nothing:?}");
    }
}

// The checks of `verify_isolation` are in `postgres_verify.rs`.

#[test]
fn a_composite_foreign_key_refuses_a_reference_to_another_tenants_parent() {
    let plant = |db: &mut TestDb| {
        let ctx = ctx(ACME);
        let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
        // Acme's invoice pointing at Contoso's account 2.
        Invoice::scoped(&ctx)
            .insert(&NewInvoice {
                id: 77,
                account_id: 2,
                amount: 1,
            })
            .execute(&mut conn)
    };

    // Control: a plain foreign key (none here) lets the reference through, since
    // referential checks bypass row-level security.
    let mut db = TestDb::new();
    assert_eq!(plant(&mut db), Ok(1));

    let mut db = TestDb::new();
    let constraint = same_tenant_foreign_key_sql(
        &RlsTable::named("invoices", "tenant_id"),
        "account_id",
        &RlsTable::named("accounts", "tenant_id"),
        "id",
    );
    // The seed's corrupt invoice 5 has to go before the constraint can hold.
    db.observer
        .batch_execute(&format!("DELETE FROM invoices WHERE id = 5; {constraint}"))
        .unwrap();
    let refused = plant(&mut db);
    assert!(
        matches!(
            refused,
            Err(DieselError::DatabaseError(
                DatabaseErrorKind::ForeignKeyViolation,
                _
            ))
        ),
        "{refused:?}"
    );
}

#[test]
fn a_unit_of_work_sets_the_tenant_for_its_transaction_only() {
    let mut db = TestDb::new();
    let sent = record_statements(&mut db.app);
    let ctx = ctx(ACME);
    let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());

    let _: Vec<Account> = Account::scoped(&ctx).load(&mut conn).unwrap();
    let statements = std::mem::take(&mut *sent.lock().unwrap());
    // Three round trips: the opening batch, the statement, the commit.
    assert_eq!(statements.len(), 3, "{statements:?}");
    assert!(
        statements[0].starts_with(
            "BEGIN; SELECT tenant_wall.assert_clean_session(); \
             SET LOCAL citus.propagate_set_commands = 'local'; \
             SET LOCAL search_path = \"public\", pg_temp; SET LOCAL app.tenant_id = 'v1:1:"
        ),
        "{statements:?}"
    );
    assert!(
        statements[1].contains("FROM \"accounts\""),
        "{statements:?}"
    );
    assert_eq!(statements[2], "COMMIT");

    // A transaction sets the tenant once for all of its statements.
    conn.transaction(|tx| {
        for _ in 0..3 {
            let _: i64 = Account::scoped(&ctx).count().get_result(tx)?;
        }
        Ok::<_, DieselError>(())
    })
    .unwrap();
    let statements = std::mem::take(&mut *sent.lock().unwrap());
    assert_eq!(statements.len(), 5, "{statements:?}");
    assert_eq!(
        statements
            .iter()
            .filter(|s| s.contains("app.tenant_id"))
            .count(),
        1
    );
    // Never a session-level SET, which would outlive the transaction.
    let sets: Vec<&str> = statements
        .iter()
        .flat_map(|s| s.split(';'))
        .map(str::trim)
        .filter(|part| part.to_uppercase().starts_with("SET "))
        .collect();
    assert_eq!(sets.len(), 3, "{statements:?}");
    assert!(
        sets.iter().all(|set| set.starts_with("SET LOCAL ")),
        "{sets:?}"
    );
}

/// Citus refuses several commands in one call: the generated migration sends its
/// statements one per call, up and down, inside the migration's transaction.
#[test]
fn the_rls_migration_sends_one_statement_per_call() {
    use diesel_migrations::MigrationHarness;

    let mut db = TestDb::new();
    let sent = record_statements(&mut db.observer);
    db.observer
        .revert_last_migration(rls_migrations())
        .expect("revert the generated migration");
    db.observer
        .run_pending_migrations(rls_migrations())
        .expect("run it again");
    let statements = std::mem::take(&mut *sent.lock().unwrap());
    let expected: Vec<String> = rls_migrations()
        .down_statements()
        .into_iter()
        .chain(rls_migrations().up_statements())
        .collect();
    let generated: Vec<&String> = statements.iter().filter(|s| expected.contains(s)).collect();
    assert_eq!(generated, expected.iter().collect::<Vec<_>>());
    // One command per call: a `;` only inside a function body or a `DO` block.
    assert!(
        generated.iter().all(|s| !s.contains(';')
            || s.starts_with("DO $wall")
            || s.starts_with("CREATE OR REPLACE FUNCTION")),
        "{generated:?}"
    );
    // A new signing table holds no key until the owner installs it again.
    wall_key().install(&mut db.observer).unwrap();
    // The wall stands again: the app role reads only its tenant's rows.
    let ctx = ctx(ACME);
    let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
    let rows: Vec<Account> = Account::scoped(&ctx).load(&mut conn).unwrap();
    assert!(!rows.is_empty() && rows.iter().all(|a| a.tenant_id == ACME));
}

/// Names are the developer's, but the generated SQL must not let one of them end
/// a quoted block early: a table and a column that spell the dollar tags still
/// get their policy, on the table and on its partition.
#[test]
fn a_name_that_spells_a_dollar_tag_still_gets_its_policy() {
    let mut db = TestDb::new();
    db.observer
        .batch_execute(
            r#"CREATE TABLE "odd$wall0$name" ("te$p$nant" BIGINT NOT NULL, id BIGINT NOT NULL)
                   PARTITION BY LIST ("te$p$nant");
               CREATE TABLE "odd$wall0$name_1" PARTITION OF "odd$wall0$name" FOR VALUES IN (1);"#,
        )
        .unwrap();
    let table = RlsTable::named("odd$wall0$name", "te$p$nant");
    for statement in tenant_diesel::postgres::rls_up_statements(&table, &tenant_setting()) {
        db.observer.batch_execute(&statement).unwrap();
    }
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        count: i64,
    }
    let policies = diesel::sql_query(
        "SELECT count(*) AS count FROM pg_policies WHERE tablename LIKE 'odd$wall0$name%'",
    )
    .get_result::<Count>(&mut db.observer)
    .unwrap();
    assert_eq!(policies.count, 2);
}

/// The migration adds an index that leads with the tenant column only where the
/// table has none: a primary key `(tenant_id, id)` already serves the policy.
#[test]
fn the_rls_migration_reuses_an_index_that_leads_with_the_tenant() {
    let mut db = TestDb::new();
    db.observer
        .batch_execute(
            "CREATE TABLE unindexed (tenant_id BIGINT NOT NULL, body TEXT NOT NULL); \
             CREATE TABLE keyed (tenant_id BIGINT NOT NULL, id BIGINT NOT NULL, PRIMARY KEY (tenant_id, id)); \
             CREATE TABLE other_first (id BIGINT PRIMARY KEY, tenant_id BIGINT NOT NULL);",
        )
        .unwrap();
    for name in ["unindexed", "keyed", "other_first"] {
        let table = RlsTable::named(name, "tenant_id");
        for statement in tenant_diesel::postgres::rls_up_statements(&table, &tenant_setting()) {
            db.observer.batch_execute(&statement).unwrap();
        }
    }
    #[derive(QueryableByName)]
    struct Index {
        #[diesel(sql_type = Text)]
        name: String,
    }
    let added: Vec<String> = diesel::sql_query(
        "SELECT indexrelid::regclass::text AS name FROM pg_index \
         WHERE indrelid::regclass::text IN ('unindexed', 'keyed', 'other_first') \
         AND indexrelid::regclass::text LIKE '%_rls' ORDER BY 1",
    )
    .load::<Index>(&mut db.observer)
    .unwrap()
    .into_iter()
    .map(|i| i.name)
    .collect();
    // A primary key on `id` alone does not lead with the tenant: it gets one.
    assert_eq!(
        added,
        ["other_first_tenant_id_rls", "unindexed_tenant_id_rls"]
    );
    // The fixture's own tables all lead their keys with the tenant: none added.
    let fixture: Vec<Index> = diesel::sql_query(
        "SELECT indexrelid::regclass::text AS name FROM pg_index \
         WHERE indexrelid::regclass::text IN ('accounts_tenant_id_rls', 'notes_tenant_id_rls')",
    )
    .load(&mut db.observer)
    .unwrap();
    assert!(fixture.is_empty());
}

/// `RlsMigrations::grant_to` gives a fresh application role exactly what the
/// wall allows: `verify_isolation` finds nothing to refuse, scoped reads work,
/// and the down migration takes it all back. Control: before the migration the
/// same role may read nothing.
#[test]
fn the_generated_grants_are_exactly_what_verify_isolation_accepts() {
    use diesel_migrations::MigrationHarness;

    let mut db = TestDb::new();
    let role = format!("granted_{}", db.name);
    db.observer
        .batch_execute(&format!("CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS"))
        .unwrap();
    let mut app = PgServer::shared().connect(&role, &db.name);
    let denied = diesel::sql_query("SELECT tenant_id FROM accounts").execute(&mut app);
    assert!(
        denied.is_err_and(|e| e.to_string().contains("permission denied")),
        "control: a fresh role reads nothing"
    );

    let rls = rls_migrations()
        .global_table::<plans::table>()
        .global_table::<tenants::table>()
        .grant_to(&role);
    db.observer.revert_last_migration(rls_migrations()).unwrap();
    db.observer.run_pending_migrations(rls.clone()).unwrap();
    wall_key().install(&mut db.observer).unwrap();

    tenant_diesel::postgres::verify_isolation(&mut app, &rls).unwrap_or_else(|e| panic!("{e}"));
    let ctx = ctx(ACME);
    let mut conn = TenantConn::with_setting(&mut app, &ctx, tenant_setting());
    let rows: Vec<Account> = Account::scoped(&ctx).load(&mut conn).unwrap();
    assert!(rows.len() == 3 && rows.iter().all(|a| a.tenant_id == ACME));

    db.observer.revert_last_migration(rls).unwrap();
    let denied = diesel::sql_query("SELECT tenant_id FROM accounts").execute(&mut app);
    assert!(denied.is_err_and(|e| e.to_string().contains("permission denied")));
}
