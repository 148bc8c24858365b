//! Attacks on MySQL and MariaDB, where the library is the only wall (no
//! row-level security): row locks that must never reach another tenant's rows,
//! a pooled connection, and the upserts the library refuses, beside the controls
//! that show what MySQL's own upserts do to another tenant's row.
//!
//! The tables are made here with raw SQL on purpose.
#![allow(clippy::disallowed_methods)]

use diesel::connection::SimpleConnection;
use diesel::mysql::MysqlConnection;
use diesel::r2d2::{ConnectionManager, Pool};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use tenant_diesel::prelude::*;
use tenant_diesel_tests::mysql::{MysqlServer, TestDb, APP_USER};
use tenant_diesel_tests::{accounts, ctx, Account, ACME, CONTOSO};

#[allow(clippy::disallowed_methods)]
mod schema {
    diesel::table! {
        jobs (tenant_id, id) {
            tenant_id -> BigInt,
            id -> BigInt,
            status -> Text,
        }
    }

    // A table whose primary key does not lead with the tenant, and a unique
    // key every tenant shares: what makes `ON DUPLICATE KEY UPDATE` and
    // `REPLACE` reach another tenant's row.
    diesel::table! {
        members (id) {
            id -> BigInt,
            tenant_id -> BigInt,
            email -> Text,
            role -> Text,
        }
    }
}

use schema::{jobs, members};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = jobs)]
struct Job {
    tenant_id: i64,
    id: i64,
    status: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = members)]
struct Member {
    id: i64,
    tenant_id: i64,
    email: String,
    role: String,
}

#[derive(Insertable, TenantValues)]
#[diesel(table_name = members)]
struct NewMember<'a> {
    id: i64,
    email: &'a str,
    role: &'a str,
}

#[derive(AsChangeset, TenantValues)]
#[diesel(table_name = members)]
struct RoleChange<'a> {
    role: &'a str,
}

/// Acme's three queued jobs and Contoso's two, numbered from 1 in each; and one
/// member of each tenant, ids 1 (Acme) and 2 (Contoso).
const TABLES: &str = "
    CREATE TABLE jobs (
        tenant_id BIGINT NOT NULL,
        id BIGINT NOT NULL,
        status VARCHAR(32) NOT NULL,
        PRIMARY KEY (tenant_id, id)
    );
    INSERT INTO jobs VALUES
        (1, 1, 'queued'), (1, 2, 'queued'), (1, 3, 'queued'),
        (2, 1, 'queued'), (2, 2, 'queued');
    CREATE TABLE members (
        id BIGINT PRIMARY KEY,
        tenant_id BIGINT NOT NULL,
        email VARCHAR(255) NOT NULL UNIQUE,
        role VARCHAR(32) NOT NULL
    );
    INSERT INTO members VALUES (1, 1, 'ann@acme.example', 'owner'),
                               (2, 2, 'bob@contoso.example', 'owner');
";

fn database() -> TestDb {
    let mut db = TestDb::new();
    db.observer.batch_execute(TABLES).unwrap();
    db
}

/// Another connection of the application's user to the database `name`.
fn worker_connection(name: &str) -> MysqlConnection {
    MysqlServer::shared().connect(APP_USER, name)
}

/// The tenant's next queued job that no other transaction holds, locked.
fn next_job(tenant: &TenantCtx, conn: &mut TenantConn<&mut MysqlConnection>) -> QueryResult<Job> {
    Job::scoped(tenant)
        .filter(jobs::status.eq("queued"))
        .order(jobs::id)
        .limit(1)
        .for_update()
        .skip_locked()
        .get_result(conn)
}

fn members_of_every_tenant(db: &mut TestDb) -> Vec<(i64, i64, String, String)> {
    use diesel::QueryDsl;
    diesel::RunQueryDsl::load(members::table.order(members::id), &mut db.observer).unwrap()
}

#[test]
fn workers_of_one_tenant_take_different_jobs_and_never_another_tenants() {
    let mut db = database();
    let (acme, contoso) = (ctx(ACME), ctx(CONTOSO));
    let mut second = worker_connection(&db.name);
    let mut other_tenant = worker_connection(&db.name);
    let mut first = TenantConn::new(&mut db.app, &acme);
    first
        .transaction(|tx| {
            let held = next_job(&acme, tx)?;
            assert_eq!((held.tenant_id, held.id), (ACME, 1));

            // Another worker of Acme skips the held job.
            let mut second = TenantConn::new(&mut second, &acme);
            let taken = second.transaction(|tx| next_job(&acme, tx))?;
            assert_eq!((taken.tenant_id, taken.id), (ACME, 2));
            // NOWAIT on the held job fails at once.
            let refused = second.transaction(|tx| {
                Job::scoped(&acme)
                    .find(1)
                    .for_update()
                    .no_wait()
                    .get_result::<Job>(tx)
            });
            assert!(
                matches!(&refused, Err(DieselError::DatabaseError(_, info)) if info.message().contains("Lock wait")),
                "{refused:?}"
            );

            // Contoso's job 1 has the held id and is not held: the lock took
            // Acme's row only.
            let mut contoso_conn = TenantConn::new(&mut other_tenant, &contoso);
            let theirs = contoso_conn.transaction(|tx| {
                Job::scoped(&contoso)
                    .find(1)
                    .for_update()
                    .no_wait()
                    .get_result::<Job>(tx)
            })?;
            assert_eq!((theirs.tenant_id, theirs.id), (CONTOSO, 1));
            Ok::<_, DieselError>(())
        })
        .unwrap();
}

#[test]
fn a_shared_lock_runs_on_mariadb_and_reads_the_tenants_rows_only() {
    let mut db = database();
    let contoso = ctx(CONTOSO);
    let mut conn = TenantConn::new(&mut db.app, &contoso);
    let shared: Vec<Job> = conn
        .transaction(|tx| Job::scoped(&contoso).order(jobs::id).for_share().load(tx))
        .unwrap();
    assert_eq!(
        shared
            .iter()
            .map(|job| (job.tenant_id, job.id))
            .collect::<Vec<_>>(),
        [(CONTOSO, 1), (CONTOSO, 2)]
    );
    let skipping: Vec<Job> = conn
        .transaction(|tx| Job::scoped(&contoso).for_share().skip_locked().load(tx))
        .unwrap();
    assert_eq!(skipping.len(), 2);
}

#[test]
fn a_pooled_connection_acts_for_its_tenant_only() {
    let db = TestDb::new();
    let pool = Pool::builder()
        .max_size(2)
        .build(ConnectionManager::<MysqlConnection>::new(db.url()))
        .unwrap();
    for (tenant, ids) in [(ACME, [1, 3, 5]), (CONTOSO, [2, 4, 6])] {
        let ctx = ctx(tenant);
        let mut conn = TenantConn::new(pool.get().unwrap(), &ctx);
        let rows: Vec<Account> = Account::scoped(&ctx)
            .order(accounts::id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(rows.iter().map(|a| a.id).collect::<Vec<_>>(), ids);
        let tampered = conn.transaction(|tx| {
            Account::scoped(&ctx)
                .update(if tenant == ACME { 2 } else { 1 })
                .set_column(accounts::balance, 0)
                .execute(tx)
        });
        assert_eq!(tampered, Ok(0), "another tenant's account");
    }
}

#[test]
fn the_scoped_alternative_to_an_upsert_leaves_another_tenants_row_alone() {
    let mut db = database();
    let before = members_of_every_tenant(&mut db);
    let acme = ctx(ACME);
    let mut conn = TenantConn::new(&mut db.app, &acme);
    // Member 2 is Contoso's; the key `id` is every tenant's.
    let outcome = conn.transaction(|tx| {
        let row = NewMember {
            id: 2,
            email: "eve@acme.example",
            role: "admin",
        };
        match Member::scoped(&acme).insert(&row).execute(tx) {
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
                Member::scoped(&acme)
                    .update(2)
                    .set(&RoleChange { role: "admin" })
                    .execute(tx)
            }
            other => other,
        }
    });
    assert_eq!(
        outcome,
        Ok(0),
        "the update through the scope reaches nothing"
    );
    drop(conn);
    assert_eq!(members_of_every_tenant(&mut db), before);
}

#[test]
fn control_on_duplicate_key_update_rewrites_another_tenants_row() {
    let mut db = database();
    // Raw Diesel on the raw connection (a `TenantConn` refuses it): Acme's
    // upsert of member 2 fires on Contoso's row.
    let changed = diesel::RunQueryDsl::execute(
        diesel::insert_into(members::table)
            .values((
                members::id.eq(2),
                members::tenant_id.eq(ACME),
                members::email.eq("eve@acme.example"),
                members::role.eq("admin"),
            ))
            .on_conflict(diesel::dsl::DuplicatedKeys)
            .do_update()
            .set(members::role.eq("admin")),
        &mut db.app,
    )
    .unwrap();
    assert_eq!(changed, 2, "MySQL counts an updated row twice");
    assert!(members_of_every_tenant(&mut db).contains(&(
        2,
        CONTOSO,
        "bob@contoso.example".into(),
        "admin".into()
    )));
    // Conflicting on the shared `email` key instead fires just the same.
    let mut db = database();
    diesel::RunQueryDsl::execute(
        diesel::insert_into(members::table)
            .values((
                members::id.eq(9),
                members::tenant_id.eq(ACME),
                members::email.eq("bob@contoso.example"),
                members::role.eq("viewer"),
            ))
            .on_conflict(diesel::dsl::DuplicatedKeys)
            .do_update()
            .set(members::role.eq("viewer")),
        &mut db.app,
    )
    .unwrap();
    assert!(members_of_every_tenant(&mut db).contains(&(
        2,
        CONTOSO,
        "bob@contoso.example".into(),
        "viewer".into()
    )));
}

/// Why even a guarded upsert is not offered: an update whose every assignment
/// keeps another tenant's values (`role = IF(tenant_id = ?, VALUES(role),
/// role)`) leaves Contoso's row alone, but under `CLIENT_FOUND_ROWS` (set by
/// Diesel and diesel-async) a row found and left unchanged counts 1, the count
/// of a row inserted: Acme's write is lost and reported as done.
#[test]
fn control_a_guarded_upsert_reports_a_lost_write_as_written() {
    let mut db = database();
    let guarded = |id: i64, email: &str| {
        format!(
            "INSERT INTO members (id, tenant_id, email, role) VALUES ({id}, {ACME}, '{email}', 'admin') \
             ON DUPLICATE KEY UPDATE role = IF(tenant_id = {ACME}, VALUES(role), role)"
        )
    };
    // Member 2 is Contoso's: nothing is written, and the count says 1.
    let lost = diesel::RunQueryDsl::execute(
        diesel::sql_query(guarded(2, "eve@acme.example")),
        &mut db.app,
    )
    .unwrap();
    // Member 10 is nobody's: inserted, and the count says 1 too.
    let inserted = diesel::RunQueryDsl::execute(
        diesel::sql_query(guarded(10, "zoe@acme.example")),
        &mut db.app,
    )
    .unwrap();
    assert_eq!((lost, inserted), (1, 1), "the two outcomes count the same");
    let members = members_of_every_tenant(&mut db);
    assert!(
        members.contains(&(2, CONTOSO, "bob@contoso.example".into(), "owner".into())),
        "Contoso's row is untouched: {members:?}"
    );
    assert!(
        !members.iter().any(|m| m.2 == "eve@acme.example"),
        "and Acme's row was never written: {members:?}"
    );
    assert!(members.iter().any(|m| m.0 == 10 && m.1 == ACME));
}

#[test]
fn control_replace_into_deletes_another_tenants_row() {
    let mut db = database();
    diesel::RunQueryDsl::execute(
        diesel::replace_into(members::table).values((
            members::id.eq(2),
            members::tenant_id.eq(ACME),
            members::email.eq("eve@acme.example"),
            members::role.eq("owner"),
        )),
        &mut db.app,
    )
    .unwrap();
    let left = members_of_every_tenant(&mut db);
    assert!(
        left.iter().all(|(_, tenant, _, _)| *tenant == ACME),
        "Contoso's member is gone, its id Acme's now: {left:?}"
    );
}
