//! Raw SQL against the database wall, as the application's role, through the
//! library's own connections and pools: what a lint-allowed query, an admin
//! script or an injection could do. Each attack stands beside a control that
//! runs the same SQL with the defence removed and shows it would succeed.
//!
//! These tests play the attacker and the database administrator, so they write
//! raw SQL on purpose.
#![allow(clippy::disallowed_methods)]

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, Pool};
use diesel::sql_types::{BigInt, Text};
use diesel::{Connection, QueryableByName};
use tenant_diesel::postgres::{RlsTable, TenantDb, DIRTY_SESSION};
use tenant_diesel::prelude::*;
use tenant_diesel::{TenantId, WallKey};
use tenant_diesel_tests::postgres::{tenant_setting, wall_key, PgServer, TestDb, APP_ROLE};
use tenant_diesel_tests::*;

#[derive(QueryableByName, Debug, PartialEq)]
struct Row {
    #[diesel(sql_type = BigInt)]
    tenant_id: i64,
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    #[diesel(column_name = "QUERY PLAN")]
    line: String,
}

/// A signed value for `tenant`, as the library writes it.
fn signed(tenant: i64) -> String {
    wall_key().signed_value(TenantId::new(tenant), Duration::from_secs(30))
}

/// Inside a transaction: sets the tenant setting to `value`, runs `sql`, and
/// returns the tenants of the rows it read.
fn tenants_read(conn: &mut PgConnection, value: &str, sql: &str) -> Vec<i64> {
    conn.transaction(|conn| {
        diesel::sql_query("SELECT set_config('app.tenant_id', $1, true)")
            .bind::<Text, _>(value)
            .execute(conn)?;
        diesel::sql_query(sql).load::<Row>(conn)
    })
    .unwrap()
    .into_iter()
    .map(|row| row.tenant_id)
    .collect()
}

const READ_ACCOUNTS: &str = "SELECT tenant_id FROM accounts ORDER BY id";

#[test]
fn the_app_role_cannot_name_another_tenant_by_setting_it() {
    let mut db = TestDb::new();
    // The library's own value reads the tenant's rows.
    assert_eq!(
        tenants_read(&mut db.app, &signed(ACME), READ_ACCOUNTS),
        [ACME; 3]
    );
    // Forged: a bare id, another key's signature, a tampered tenant, an
    // expired value. Each reads nothing and writes nothing.
    let other_key = WallKey::generate().unwrap();
    let tampered = signed(ACME).replacen(":1:", ":2:", 1);
    let expired = wall_key().signed_value(TenantId::new(CONTOSO), Duration::ZERO);
    for forged in [
        "2".to_owned(),
        other_key.signed_value(TenantId::new(CONTOSO), Duration::from_secs(30)),
        tampered,
        expired,
        format!("{}x", signed(CONTOSO)),
    ] {
        assert_eq!(
            tenants_read(&mut db.app, &forged, READ_ACCOUNTS),
            Vec::<i64>::new(),
            "{forged}"
        );
        let written = db.app.transaction(|conn| {
            diesel::sql_query("SELECT set_config('app.tenant_id', $1, true)")
                .bind::<Text, _>(&forged)
                .execute(conn)?;
            diesel::sql_query(
                "INSERT INTO accounts (id, tenant_id, name, balance) VALUES (90, 2, 'planted', 0)",
            )
            .execute(conn)
        });
        assert!(written.is_err(), "{forged}");
    }
    // The attack as the review ran it: inside tenant 1's unit of work, set
    // tenant 2 (locally and for the session).
    for is_local in ["true", "false"] {
        let seen = db
            .app
            .transaction(|conn| {
                diesel::sql_query("SELECT set_config('app.tenant_id', $1, true)")
                    .bind::<Text, _>(signed(ACME))
                    .execute(conn)?;
                diesel::sql_query(format!(
                    "SELECT set_config('app.tenant_id', '2', {is_local})"
                ))
                .execute(conn)?;
                diesel::sql_query(READ_ACCOUNTS).load::<Row>(conn)
            })
            .unwrap();
        assert!(seen.is_empty(), "is_local = {is_local}: {seen:?}");
    }
}

#[test]
fn control_without_the_signature_the_app_role_reads_any_tenant_it_names() {
    let mut db = TestDb::new();
    db.use_unsigned_policies();
    assert_eq!(tenants_read(&mut db.app, "2", READ_ACCOUNTS), [CONTOSO; 3]);
}

#[test]
fn a_signed_value_copied_from_another_session_works_only_until_it_expires() {
    // The residual risk, pinned: `pg_stat_activity` shows the same role the
    // opening batch of another session, signed value included. A copy works
    // until the value's lifetime ends, then never again.
    let mut db = TestDb::new();
    let copied = wall_key().signed_value(TenantId::new(CONTOSO), Duration::from_secs(1));
    assert_eq!(
        tenants_read(&mut db.app, &copied, READ_ACCOUNTS),
        [CONTOSO; 3]
    );
    std::thread::sleep(Duration::from_millis(2100));
    assert_eq!(
        tenants_read(&mut db.app, &copied, READ_ACCOUNTS),
        Vec::<i64>::new()
    );
}

/// A pool of one connection of the application's role, and the `TenantDb` over
/// it: the next checkout is always the connection the attacker used.
fn pool_of_one(db: &TestDb) -> (Pool<ConnectionManager<PgConnection>>, TenantDb) {
    let pool = Pool::builder()
        .max_size(1)
        .build(ConnectionManager::<PgConnection>::new(
            PgServer::shared().url(APP_ROLE, &db.name),
        ))
        .unwrap();
    let tenant_db = TenantDb::with_setting(pool.clone(), tenant_setting());
    (pool, tenant_db)
}

/// The pid of the pool's connection: a new one means the old was discarded.
fn backend_pid(pool: &Pool<ConnectionManager<PgConnection>>) -> i64 {
    #[derive(QueryableByName)]
    struct Pid {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        pid: i32,
    }
    diesel::sql_query("SELECT pg_backend_pid() AS pid")
        .get_result::<Pid>(&mut pool.get().unwrap())
        .map(|p| i64::from(p.pid))
        .unwrap()
}

/// The name of the statement Diesel prepared for `sql_fragment`, as the
/// attacker finds it in `pg_prepared_statements`.
fn prepared_name(conn: &mut PgConnection, sql_fragment: &str) -> String {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        name: String,
    }
    diesel::sql_query(
        "SELECT name FROM pg_prepared_statements WHERE statement LIKE '%' || $1 || '%' AND NOT from_sql",
    )
    .bind::<Text, _>(sql_fragment)
    .get_result::<Name>(conn)
    .unwrap()
    .name
}

/// Replaces Diesel's cached statement of a tenant's account load with one that
/// returns a planted row and copies the tenant's rows into a session setting.
fn hijack_the_account_load(pool: &Pool<ConnectionManager<PgConnection>>) {
    let mut raw = pool.get().unwrap();
    let name = prepared_name(&mut raw, "FROM \"accounts\"");
    raw.batch_execute(&format!(
        "DEALLOCATE \"{name}\"; \
         PREPARE \"{name}\"(bigint) AS \
         SELECT 99::bigint, $1::bigint, 'planted'::text, 0::bigint \
         FROM (SELECT set_config('attack.loot', string_agg(name, ','), false) FROM accounts) loot"
    ))
    .unwrap();
}

fn load_accounts(tenant_db: &TenantDb, tenant: i64) -> QueryResult<Vec<Account>> {
    let ctx = ctx(tenant);
    let mut conn = tenant_db.conn(&ctx).unwrap();
    Account::scoped(&ctx).load(&mut conn)
}

#[test]
fn a_hijacked_prepared_statement_never_runs_for_the_next_tenant() {
    let mut db = TestDb::new();
    let (pool, tenant_db) = pool_of_one(&db);
    assert_eq!(load_accounts(&tenant_db, CONTOSO).unwrap().len(), 3);
    let attacked = backend_pid(&pool);
    hijack_the_account_load(&pool);

    // The next unit of work is refused before its statement runs, and the
    // connection is discarded.
    let refused = load_accounts(&tenant_db, CONTOSO).unwrap_err();
    assert!(refused.to_string().contains(DIRTY_SESSION), "{refused}");
    assert!(refused.to_string().contains("PREPARE"), "{refused}");
    assert_ne!(
        backend_pid(&pool),
        attacked,
        "the dirty connection was reused"
    );
    let rows = load_accounts(&tenant_db, CONTOSO).unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows
        .iter()
        .all(|a| a.tenant_id == CONTOSO && a.name != "planted"));
    let _ = &mut db;
}

#[test]
fn control_without_the_session_check_a_hijacked_statement_plants_rows_and_copies_the_tenants() {
    let mut db = TestDb::new();
    db.remove_session_check();
    let (pool, tenant_db) = pool_of_one(&db);
    assert_eq!(load_accounts(&tenant_db, CONTOSO).unwrap().len(), 3);
    hijack_the_account_load(&pool);

    let rows = load_accounts(&tenant_db, CONTOSO).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].name, "planted");
    #[derive(QueryableByName)]
    struct Loot {
        #[diesel(sql_type = Text)]
        loot: String,
    }
    let loot = diesel::sql_query("SELECT current_setting('attack.loot') AS loot")
        .get_result::<Loot>(&mut pool.get().unwrap())
        .unwrap()
        .loot;
    assert!(loot.contains("Contoso Cables"), "{loot}");
}

/// Leaves a temporary view named `accounts` on the pool's connection, which
/// copies whatever a tenant's load reads into attacker-readable temp storage.
fn shadow_accounts(pool: &Pool<ConnectionManager<PgConnection>>) {
    pool.get()
        .unwrap()
        .batch_execute(
            "CREATE TEMP TABLE stolen (name text); \
             CREATE TEMP VIEW accounts AS \
             SELECT 99::bigint AS id, 2::bigint AS tenant_id, 'planted'::text AS name, 0::bigint AS balance",
        )
        .unwrap();
}

#[test]
fn temporary_objects_cannot_be_made_and_would_neither_shadow_a_table_nor_survive_a_checkout() {
    let mut db = TestDb::new();
    let (pool, tenant_db) = pool_of_one(&db);
    // TEMPORARY is revoked from PUBLIC (the migration does it where it may).
    let refused = pool
        .get()
        .unwrap()
        .batch_execute("CREATE TEMP TABLE stolen (name text)")
        .unwrap_err();
    assert!(
        refused.to_string().contains("permission denied"),
        "{refused}"
    );

    // Where a deployment grants it anyway, the next unit of work refuses the
    // connection, and the pool opens a clean one.
    db.observer
        .batch_execute(&format!(
            "GRANT TEMPORARY ON DATABASE {} TO {APP_ROLE}",
            db.name
        ))
        .unwrap();
    shadow_accounts(&pool);
    let refused = load_accounts(&tenant_db, CONTOSO).unwrap_err();
    assert!(
        refused.to_string().contains("temporary objects"),
        "{refused}"
    );
    let rows = load_accounts(&tenant_db, CONTOSO).unwrap();
    assert!(rows.len() == 3 && rows.iter().all(|a| a.name != "planted"));

    // And with the session check removed, the pinned search path still reads
    // the real table, not the temporary view.
    db.remove_session_check();
    shadow_accounts(&pool);
    let rows = load_accounts(&tenant_db, CONTOSO).unwrap();
    assert!(
        rows.len() == 3 && rows.iter().all(|a| a.name != "planted"),
        "{rows:?}"
    );
}

#[test]
fn control_the_default_search_path_reads_a_temporary_view_in_place_of_the_table() {
    let mut db = TestDb::new();
    db.observer
        .batch_execute(&format!(
            "GRANT TEMPORARY ON DATABASE {} TO {APP_ROLE}",
            db.name
        ))
        .unwrap();
    let (pool, _) = pool_of_one(&db);
    shadow_accounts(&pool);
    let seen = tenants_read(&mut pool.get().unwrap(), &signed(ACME), READ_ACCOUNTS);
    assert_eq!(seen, [CONTOSO], "the temporary view was read");
}

#[test]
fn a_tenant_set_for_the_whole_session_never_reaches_the_next_checkout() {
    let mut db = TestDb::new();
    let (pool, tenant_db) = pool_of_one(&db);
    pool.get()
        .unwrap()
        .batch_execute(&format!("SET app.tenant_id = '{}'", signed(ACME)))
        .unwrap();
    let refused = load_accounts(&tenant_db, CONTOSO).unwrap_err();
    assert!(refused.to_string().contains("whole session"), "{refused}");
    // The connection that carried it is gone: a raw query reads nothing.
    let seen: Vec<Row> = diesel::sql_query(READ_ACCOUNTS)
        .load(&mut pool.get().unwrap())
        .unwrap();
    assert!(seen.is_empty(), "{seen:?}");
    let _ = &mut db;
}

#[test]
fn control_without_the_session_check_the_next_checkout_carries_the_tenant() {
    let mut db = TestDb::new();
    db.remove_session_check();
    let (pool, tenant_db) = pool_of_one(&db);
    pool.get()
        .unwrap()
        .batch_execute(&format!("SET app.tenant_id = '{}'", signed(ACME)))
        .unwrap();
    assert_eq!(load_accounts(&tenant_db, CONTOSO).unwrap().len(), 3);
    let seen: Vec<Row> = diesel::sql_query(READ_ACCOUNTS)
        .load(&mut pool.get().unwrap())
        .unwrap();
    assert_eq!(
        seen.len(),
        3,
        "the session-wide tenant survived the checkout"
    );
}

/// A table partitioned by tenant, created after the RLS migration, with one
/// partition per tenant, readable and writable by the application's role.
fn partitioned_events(db: &mut TestDb) -> RlsTable {
    db.observer
        .batch_execute(&format!(
            "CREATE TABLE events (tenant_id BIGINT NOT NULL, id BIGINT NOT NULL, body TEXT NOT NULL, \
                                  PRIMARY KEY (tenant_id, id)) PARTITION BY LIST (tenant_id); \
             CREATE TABLE events_t1 PARTITION OF events FOR VALUES IN (1); \
             CREATE TABLE events_t2 PARTITION OF events FOR VALUES IN (2) PARTITION BY RANGE (id); \
             CREATE TABLE events_t2_low PARTITION OF events_t2 FOR VALUES FROM (0) TO (1000); \
             INSERT INTO events VALUES (1, 1, 'acme event'), (2, 1, 'contoso event'); \
             GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE};"
        ))
        .unwrap();
    RlsTable::named("events", "tenant_id")
}

#[test]
fn a_partition_named_directly_is_behind_the_same_wall() {
    let mut db = TestDb::new();
    let events = partitioned_events(&mut db);
    for statement in tenant_diesel::postgres::rls_up_statements(&events, &tenant_setting()) {
        db.observer.batch_execute(&statement).unwrap();
    }
    for partition in ["events", "events_t2", "events_t2_low"] {
        let seen = tenants_read(
            &mut db.app,
            &signed(ACME),
            &format!("SELECT tenant_id FROM {partition}"),
        );
        assert!(seen.iter().all(|&t| t == ACME), "{partition}: {seen:?}");
        let planted = db.app.transaction(|conn| {
            diesel::sql_query("SELECT set_config('app.tenant_id', $1, true)")
                .bind::<Text, _>(signed(ACME))
                .execute(conn)?;
            diesel::sql_query(format!(
                "INSERT INTO {partition} VALUES (2, 500, 'planted')"
            ))
            .execute(conn)
        });
        assert!(planted.is_err(), "{partition}");
    }
}

#[test]
fn control_a_partition_without_its_own_policy_reads_every_tenant() {
    let mut db = TestDb::new();
    let events = partitioned_events(&mut db);
    // The parent's statements only, without the loop over its partitions.
    for statement in &tenant_diesel::postgres::rls_up_statements(&events, &tenant_setting())[..4] {
        db.observer.batch_execute(statement).unwrap();
    }
    assert_eq!(
        tenants_read(&mut db.app, &signed(ACME), "SELECT tenant_id FROM events"),
        [ACME]
    );
    assert_eq!(
        tenants_read(
            &mut db.app,
            &signed(ACME),
            "SELECT tenant_id FROM events_t2_low"
        ),
        [CONTOSO]
    );
}

/// How many rows the scan of `EXPLAIN ANALYZE` removed after reading them: with
/// an index that does not lead with the tenant, rows of other tenants.
fn rows_removed(db: &mut TestDb, name: &str) -> i64 {
    let plan = db
        .app
        .transaction(|conn| {
            diesel::sql_query("SELECT set_config('app.tenant_id', $1, true)")
                .bind::<Text, _>(signed(ACME))
                .execute(conn)?;
            conn.batch_execute(
                "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off",
            )?;
            diesel::sql_query(format!(
                "EXPLAIN ANALYZE SELECT id FROM accounts WHERE name = '{name}'"
            ))
            .load::<Line>(conn)
        })
        .unwrap();
    plan.iter()
        .filter_map(|l| l.line.split("Rows Removed by Filter: ").nth(1))
        .map(|n| n.trim().parse::<i64>().unwrap())
        .sum()
}

#[test]
fn an_index_that_leads_with_the_tenant_counts_no_other_tenants_rows() {
    let mut db = TestDb::new();
    db.observer
        .batch_execute(
            "CREATE INDEX accounts_by_name ON accounts (tenant_id, name); ANALYZE accounts",
        )
        .unwrap();
    // "Contoso Cables" exists only for tenant 2: acme's scan never touches it.
    assert_eq!(rows_removed(&mut db, "Contoso Cables"), 0);
}

#[test]
fn control_an_index_without_the_tenant_in_front_reveals_other_tenants_values() {
    let mut db = TestDb::new();
    db.observer
        .batch_execute("CREATE INDEX accounts_by_name ON accounts (name); ANALYZE accounts")
        .unwrap();
    assert_eq!(rows_removed(&mut db, "Contoso Cables"), 1);
    assert_eq!(rows_removed(&mut db, "No Such Company"), 0);
}

/// The same attack through diesel-async's deadpool pool and an
/// `AsyncTenantConn`: the hijacked statement is pipelined behind the opening
/// batch, which fails first, so it runs in an aborted transaction and reads
/// nothing; the pool then drops the connection.
async fn hijack_an_async_pool(keep_the_check: bool) -> Vec<QueryResult<Vec<Account>>> {
    use diesel_async::pooled_connection::deadpool::Pool;
    use diesel_async::pooled_connection::AsyncDieselConnectionManager;
    use diesel_async::{AsyncPgConnection, SimpleAsyncConnection};
    use tenant_diesel::async_prelude::{AsyncTenantConn, RunQueryDsl as AsyncRunQueryDsl};

    let mut db = TestDb::new();
    if !keep_the_check {
        db.remove_session_check();
    }
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(
        PgServer::shared().url(APP_ROLE, &db.name),
    );
    let pool = Pool::builder(manager).max_size(1).build().unwrap();
    let ctx = ctx(CONTOSO);
    let load = async || {
        let mut conn =
            AsyncTenantConn::with_setting(pool.get().await.unwrap(), &ctx, tenant_setting());
        AsyncRunQueryDsl::load::<Account>(Account::scoped(&ctx), &mut conn).await
    };
    assert_eq!(load().await.unwrap().len(), 3);

    // tokio-postgres names diesel-async's statements `sN`.
    let mut raw = pool.get().await.unwrap();
    let names: Vec<String> = {
        #[derive(QueryableByName)]
        struct Name {
            #[diesel(sql_type = Text)]
            name: String,
        }
        diesel_async::RunQueryDsl::load::<Name>(
            diesel::sql_query(
                "SELECT name FROM pg_prepared_statements \
                 WHERE statement LIKE '%FROM \"accounts\"%' AND statement NOT LIKE '%pg_prepared_statements%'",
            ),
            &mut *raw,
        )
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.name)
        .collect()
    };
    assert_eq!(names.len(), 1, "{names:?}");
    let name = &names[0];
    raw.batch_execute(&format!(
        "DEALLOCATE \"{name}\"; PREPARE \"{name}\"(bigint) AS \
         SELECT 99::bigint, $1::bigint, 'planted'::text, 0::bigint"
    ))
    .await
    .unwrap();
    drop(raw);

    vec![load().await, load().await]
}

#[tokio::test]
async fn a_hijacked_statement_on_an_async_pooled_connection_never_runs() {
    let [refused, next] = <[_; 2]>::try_from(hijack_an_async_pool(true).await).unwrap();
    let refused = refused.unwrap_err();
    assert!(refused.to_string().contains(DIRTY_SESSION), "{refused}");
    let rows = next.unwrap();
    assert!(
        rows.len() == 3 && rows.iter().all(|a| a.name != "planted"),
        "{rows:?}"
    );
}

#[tokio::test]
async fn control_without_the_session_check_the_async_pool_runs_the_hijacked_statement() {
    let [planted, _] = <[_; 2]>::try_from(hijack_an_async_pool(false).await).unwrap();
    let rows = planted.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].name, "planted");
}

#[test]
fn a_partition_created_after_the_migration_is_open_until_descendants_sql_runs() {
    let mut db = TestDb::new();
    let events = partitioned_events(&mut db);
    for statement in tenant_diesel::postgres::rls_up_statements(&events, &tenant_setting()) {
        db.observer.batch_execute(&statement).unwrap();
    }
    db.observer
        .batch_execute(&format!(
            "CREATE TABLE events_t3 PARTITION OF events FOR VALUES IN (3); \
             INSERT INTO events VALUES (3, 1, 'umbrella event'); \
             GRANT SELECT ON events_t3 TO {APP_ROLE};"
        ))
        .unwrap();
    let read_new_partition = |db: &mut TestDb| {
        tenants_read(
            &mut db.app,
            &signed(ACME),
            "SELECT tenant_id FROM events_t3",
        )
    };
    // Control: a partition made later has no policy of its own.
    assert_eq!(read_new_partition(&mut db), [3]);
    let rls = tenant_diesel::postgres::RlsMigrations::new("1").table(events);
    db.observer.batch_execute(&rls.descendants_sql()).unwrap();
    assert_eq!(read_new_partition(&mut db), Vec::<i64>::new());
}
