//! Row locks from a tenant's scope, behind PostgreSQL's row-level security: a
//! job queue per tenant, whose ids collide between tenants (both have jobs 1
//! and 2), worked by several connections at once. A worker takes one job with
//! `FOR UPDATE SKIP LOCKED` and holds it; the next worker of the same tenant
//! gets the next job, `NOWAIT` on the held job fails at once, and a worker of
//! another tenant sees its own jobs only, the held id among them untouched.
//!
//! The tables are made here with raw SQL on purpose.
#![allow(clippy::disallowed_methods)]

use std::sync::mpsc;

use diesel::pg::{Pg, PgConnection};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use tenant_diesel::postgres::RlsTable;
use tenant_diesel::prelude::*;
use tenant_diesel_tests::postgres::{PgServer, TestDb, APP_ROLE};
use tenant_diesel_tests::{ctx, ACME, CONTOSO};

#[allow(clippy::disallowed_methods)]
mod schema {
    diesel::table! {
        jobs (tenant_id, id) {
            tenant_id -> BigInt,
            id -> BigInt,
            status -> Text,
        }
    }
}

use schema::jobs;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = jobs)]
struct Job {
    tenant_id: i64,
    id: i64,
    status: String,
}

/// Acme's three queued jobs and Contoso's two, numbered from 1 in each.
const JOBS: &str = "
    CREATE TABLE jobs (
        tenant_id BIGINT NOT NULL,
        id BIGINT NOT NULL,
        status TEXT NOT NULL,
        PRIMARY KEY (tenant_id, id)
    );
    INSERT INTO jobs VALUES
        (1, 1, 'queued'), (1, 2, 'queued'), (1, 3, 'queued'),
        (2, 1, 'queued'), (2, 2, 'queued');
";

fn queue_behind_the_wall() -> TestDb {
    let mut db = TestDb::new();
    db.wall_tables(JOBS, &[RlsTable::of::<jobs::table>()]);
    db
}

/// Another connection of the application's role to the database `name`.
fn worker_connection(name: &str) -> PgConnection {
    PgServer::shared().connect(APP_ROLE, name)
}

/// The tenant's next queued job that no other transaction holds, locked.
fn next_job(tenant: &TenantCtx, conn: &mut TenantConn<&mut PgConnection>) -> QueryResult<Job> {
    Job::scoped(tenant)
        .filter(jobs::status.eq("queued"))
        .order(jobs::id)
        .limit(1)
        .for_update()
        .skip_locked()
        .get_result(conn)
}

#[test]
fn workers_of_one_tenant_take_different_jobs_and_never_another_tenants() {
    let db = queue_behind_the_wall();
    let acme = ctx(ACME);
    let contoso = ctx(CONTOSO);
    let (held, job_is_held) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();

    let (name, setting) = (db.name.as_str(), &db.setting);

    std::thread::scope(|scope| {
        // Dropped if this thread panics, so that worker 1 stops waiting.
        let release = release;
        // Worker 1 takes Acme's first job and holds it until told to let go.
        let first_worker = &acme;
        let worker = scope.spawn(move || {
            let acme = first_worker;
            let mut raw = worker_connection(name);
            let mut conn = TenantConn::with_setting(&mut raw, acme, setting.clone());
            conn.transaction(|tx| {
                let job = next_job(acme, tx)?;
                held.send(job.id).unwrap();
                released.recv().unwrap();
                Job::scoped(acme)
                    .update(job.id)
                    .set_column(jobs::status, "done")
                    .execute(tx)
            })
        });
        assert_eq!(job_is_held.recv().unwrap(), 1);

        let mut raw = worker_connection(name);
        let mut conn = TenantConn::with_setting(&mut raw, &acme, setting.clone());
        // Worker 2 of the same tenant skips the held job.
        let second = conn.transaction(|tx| next_job(&acme, tx)).unwrap();
        assert_eq!((second.tenant_id, second.id), (ACME, 2));
        // `NOWAIT` on the held job fails at once.
        let waited = conn.transaction(|tx| {
            Job::scoped(&acme)
                .find(1)
                .for_update()
                .no_wait()
                .get_result::<Job>(tx)
        });
        match waited {
            Err(DieselError::DatabaseError(DatabaseErrorKind::Unknown, info)) => {
                assert_eq!(
                    info.message(),
                    "could not obtain lock on row in relation \"jobs\""
                )
            }
            other => panic!("expected lock_not_available, got {other:?}"),
        }

        // Contoso's worker: its own jobs only, job 1 among them (another row
        // than Acme's held job 1), locked at once.
        let mut raw = worker_connection(name);
        let mut conn = TenantConn::with_setting(&mut raw, &contoso, setting.clone());
        let theirs: Vec<Job> = conn
            .transaction(|tx| {
                Job::scoped(&contoso)
                    .filter(jobs::status.eq("queued"))
                    .order(jobs::id)
                    .for_update()
                    .skip_locked()
                    .load(tx)
            })
            .unwrap();
        assert_eq!(
            theirs
                .iter()
                .map(|job| (job.tenant_id, job.id))
                .collect::<Vec<_>>(),
            [(CONTOSO, 1), (CONTOSO, 2)]
        );
        let their_first: Job = conn
            .transaction(|tx| {
                Job::scoped(&contoso)
                    .find(1)
                    .for_update()
                    .no_wait()
                    .get_result(tx)
            })
            .unwrap();
        assert_eq!(their_first.tenant_id, CONTOSO);

        release.send(()).unwrap();
        assert_eq!(worker.join().unwrap(), Ok(1));
    });

    // Worker 1's job is done; the others, Contoso's job 1 among them, queued.
    let mut db = db;
    let statuses: Vec<(i64, i64, String)> = diesel::RunQueryDsl::load(
        jobs::table.order((jobs::tenant_id, jobs::id)),
        &mut db.observer,
    )
    .unwrap();
    assert_eq!(
        statuses
            .iter()
            .map(|(tenant, id, status)| (*tenant, *id, status.as_str()))
            .collect::<Vec<_>>(),
        [
            (ACME, 1, "done"),
            (ACME, 2, "queued"),
            (ACME, 3, "queued"),
            (CONTOSO, 1, "queued"),
            (CONTOSO, 2, "queued"),
        ]
    );
}

#[test]
fn a_locked_scope_is_the_hand_written_locking_read() {
    use diesel::query_dsl::QueryDsl as _;

    let acme = ctx(ACME);
    let same = |scoped: String, hand_written: String| {
        assert_eq!(scoped, hand_written);
        assert!(scoped.contains("\"jobs\".\"tenant_id\" = $1"), "{scoped}");
    };
    let queued = || {
        jobs::table
            .filter(jobs::tenant_id.eq(ACME))
            .filter(jobs::status.eq("queued"))
            .order(jobs::id)
            .limit(1)
    };
    let scoped = || {
        Job::scoped(&acme)
            .filter(jobs::status.eq("queued"))
            .order(jobs::id)
            .limit(1)
    };
    let skip_locked = scoped()
        .for_update()
        .skip_locked()
        .debug_query::<Pg>()
        .to_string();
    assert!(
        skip_locked.ends_with("LIMIT $3 FOR UPDATE SKIP LOCKED -- binds: [1, \"queued\", 1]"),
        "{skip_locked}"
    );
    same(
        skip_locked,
        diesel::debug_query::<Pg, _>(&queued().for_update().skip_locked()).to_string(),
    );
    same(
        scoped()
            .for_update()
            .no_wait()
            .debug_query::<Pg>()
            .to_string(),
        diesel::debug_query::<Pg, _>(&queued().for_update().no_wait()).to_string(),
    );
    same(
        scoped().for_update().debug_query::<Pg>().to_string(),
        diesel::debug_query::<Pg, _>(&queued().for_update()).to_string(),
    );
    same(
        scoped().for_no_key_update().debug_query::<Pg>().to_string(),
        diesel::debug_query::<Pg, _>(&queued().for_no_key_update()).to_string(),
    );
    same(
        scoped()
            .for_share()
            .skip_locked()
            .debug_query::<Pg>()
            .to_string(),
        diesel::debug_query::<Pg, _>(&queued().for_share().skip_locked()).to_string(),
    );
    same(
        scoped().for_key_share().debug_query::<Pg>().to_string(),
        diesel::debug_query::<Pg, _>(&queued().for_key_share()).to_string(),
    );
}
