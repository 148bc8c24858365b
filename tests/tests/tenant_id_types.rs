//! Tenant ids as real schemas have them: `integer` tenant columns (with a
//! `bigint` one beside them, as newer tables of the same schema have), and UUID
//! tenant columns (`uuid` on PostgreSQL, `text` on SQLite, which has no UUID
//! type). Two tenants whose rows share ids and names, and rows poisoned to point
//! across tenants; on SQLite, on MariaDB and behind PostgreSQL's row-level security, each
//! defence beside a control that shows what it stops.
//!
//! The tables are made here with raw SQL on purpose.
#![allow(clippy::disallowed_methods)]

use diesel::connection::SimpleConnection;
use tenant_diesel::prelude::*;
use tenant_diesel::{AnyTenantId, TenantMismatch};
use tenant_diesel_tests::ctx_of;

/// Acme and Contoso in the integer-keyed schema.
const ACME: i32 = 1;
const CONTOSO: i32 = 2;

/// Acme and Contoso in the UUID-keyed schema: one digit apart.
const ACME_UUID: uuid::Uuid = uuid::Uuid::from_u128(0x0a0e_cafe_0000_4000_8000_0000_0000_00a1);
const CONTOSO_UUID: uuid::Uuid = uuid::Uuid::from_u128(0x0a0e_cafe_0000_4000_8000_0000_0000_00a2);

/// The integer-keyed schema, as a Rails application of the last decade has it:
/// `integer` tenant columns on the old tables, `bigint` on a newer one.
#[allow(clippy::disallowed_methods)]
mod int_schema {
    diesel::table! {
        projects (org_id, id) {
            org_id -> Integer,
            id -> Integer,
            name -> Text,
        }
    }

    diesel::table! {
        tasks (org_id, id) {
            org_id -> Integer,
            id -> Integer,
            project_id -> Integer,
            title -> Text,
        }
    }

    diesel::table! {
        events (org_id, id) {
            org_id -> BigInt,
            id -> BigInt,
            what -> Text,
        }
    }

    diesel::allow_tables_to_appear_in_same_query!(projects, tasks, events);
}

use int_schema::{events, projects, tasks};

#[derive(Debug, PartialEq, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = projects)]
#[tenant(column = org_id)]
struct Project {
    org_id: i32,
    id: i32,
    name: String,
}

#[derive(Debug, PartialEq, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = tasks)]
#[tenant(column = org_id)]
struct Task {
    org_id: i32,
    id: i32,
    project_id: i32,
    title: String,
}

#[derive(Debug, PartialEq, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = events)]
#[tenant(column = org_id)]
struct Event {
    org_id: i64,
    id: i64,
    what: String,
}

#[derive(TenantValues)]
#[diesel(table_name = projects)]
struct NewProject<'a> {
    id: i32,
    name: &'a str,
}

tenant_joinable!(tasks -> projects (project_id));

/// Both tenants have project 1 "Website"; only Acme has project 2. Contoso's
/// task 2 points at project 2, which is Acme's: a poisoned reference no join
/// may follow.
const INT_SCHEMA: &str = "
    CREATE TABLE projects (org_id INTEGER NOT NULL, id INTEGER NOT NULL, name TEXT NOT NULL,
                           PRIMARY KEY (org_id, id));
    CREATE TABLE tasks (org_id INTEGER NOT NULL, id INTEGER NOT NULL, project_id INTEGER NOT NULL,
                        title TEXT NOT NULL, PRIMARY KEY (org_id, id));
    CREATE TABLE events (org_id BIGINT NOT NULL, id BIGINT NOT NULL, what TEXT NOT NULL,
                         PRIMARY KEY (org_id, id));
    INSERT INTO projects VALUES (1, 1, 'Website'), (2, 1, 'Website'), (1, 2, 'Apollo');
    INSERT INTO tasks VALUES (1, 1, 1, 'Design'), (2, 1, 1, 'Design'), (2, 2, 2, 'Poisoned');
    INSERT INTO events VALUES (1, 1, 'created'), (2, 2, 'created');
";

/// The integer-keyed suite on a `TestDb` whose `app` connection the tenant's
/// connection wraps and whose `observer` reads around it. A macro: the same
/// statements on each backend's connection.
macro_rules! integer_ids_suite {
    ($db:expr) => {{
        let db = $db;
        let (acme, contoso) = (ctx_of(ACME, "acme"), ctx_of(CONTOSO, "contoso"));

        // Reads: each tenant its own rows, though ids and names collide.
        let mut conn = TenantConn::with_setting(&mut db.app, &contoso, db.setting.clone());
        let mine: Vec<Project> = Project::scoped(&contoso).order(projects::id).load(&mut conn).unwrap();
        assert_eq!(mine, [Project { org_id: CONTOSO, id: 1, name: "Website".into() }]);
        let found = Project::scoped(&contoso).find(2).first::<Project>(&mut conn).optional().unwrap();
        assert_eq!(found, None, "Acme's project 2 is not Contoso's");

        // A join does not follow the poisoned reference to Acme's project.
        let joined: Vec<(Task, Project)> = Task::scoped(&contoso)
            .inner_join(projects::table)
            .order(tasks::id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(joined.len(), 1);
        assert_eq!((joined[0].0.id, joined[0].1.name.as_str()), (1, "Website"));

        // An `i32` context opens the newer table's `bigint` tenant column.
        let events: Vec<Event> = Event::scoped(&contoso).load(&mut conn).unwrap();
        assert_eq!(events, [Event { org_id: 2, id: 2, what: "created".into() }]);

        // Writes: stamped with the tenant, and only the tenant's rows change.
        let inserted = Project::scoped(&contoso)
            .insert(&NewProject { id: 2, name: "Website" })
            .execute(&mut conn)
            .unwrap();
        assert_eq!(inserted, 1);
        let renamed = Project::scoped(&contoso)
            .update(1)
            .set_column(projects::name, "Renamed")
            .execute(&mut conn)
            .unwrap();
        assert_eq!(renamed, 1);
        let deleted = Project::scoped(&contoso).delete(2).execute(&mut conn).unwrap();
        assert_eq!(deleted, 1);

        // A query built for Acme is refused on Contoso's connection.
        let refused = Project::scoped(&acme).load::<Project>(&mut conn);
        assert!(
            matches!(&refused, Err(diesel::result::Error::QueryBuilderError(e))
                if e.downcast_ref::<TenantMismatch>() == Some(&TenantMismatch {
                    query: AnyTenantId::Integer(ACME.into()),
                    connection: AnyTenantId::Integer(CONTOSO.into()),
                })),
            "{refused:?}"
        );
        drop(conn);

        let all: Vec<(i32, i32, String)> = diesel::RunQueryDsl::load(
            projects::table
                .order((projects::org_id, projects::id))
                .select((projects::org_id, projects::id, projects::name)),
            &mut db.observer,
        )
        .unwrap();
        assert_eq!(
            all,
            [
                (ACME, 1, "Website".to_owned()),
                (ACME, 2, "Apollo".to_owned()),
                (CONTOSO, 1, "Renamed".to_owned()),
            ]
        );
    }};
}

/// The control: the same join written in plain Diesel, on the keys alone,
/// follows Contoso's poisoned task into Acme's project.
fn plain_join_follows_the_poisoned_reference<C>(conn: &mut C)
where
    C: diesel::Connection,
    C::Backend: diesel::backend::DieselReserveSpecialization,
    for<'a> diesel::dsl::Select<
        diesel::dsl::Filter<
            diesel::dsl::InnerJoinOn<
                tasks::table,
                projects::table,
                diesel::dsl::Eq<tasks::project_id, projects::id>,
            >,
            diesel::dsl::Eq<tasks::org_id, i32>,
        >,
        (projects::org_id, projects::name),
    >: diesel::query_dsl::LoadQuery<'a, C, (i32, String)>,
{
    let leaked: Vec<(i32, String)> = diesel::RunQueryDsl::load(
        tasks::table
            .inner_join(projects::table.on(tasks::project_id.eq(projects::id)))
            .filter(tasks::org_id.eq(CONTOSO))
            .select((projects::org_id, projects::name)),
        conn,
    )
    .unwrap();
    assert!(leaked.contains(&(ACME, "Apollo".to_owned())), "{leaked:?}");
}

/// UUID tenant ids kept as text, on the backends without a UUID type (SQLite,
/// MySQL): the hyphenated lowercase form, in a `TEXT` column on SQLite and a
/// `CHAR(36)` one on MySQL, which `diesel print-schema` writes as `Text` too.
mod text_uuid {
    use super::*;

    #[allow(clippy::disallowed_methods)]
    mod schema {
        diesel::table! {
            docs (tenant_id, id) {
                tenant_id -> Text,
                id -> BigInt,
                title -> Text,
            }
        }
    }

    pub(super) use schema::docs;

    #[derive(Debug, PartialEq, Queryable, Selectable, TenantScoped)]
    #[diesel(table_name = docs)]
    pub(super) struct Doc {
        pub(super) tenant_id: String,
        pub(super) id: i64,
        pub(super) title: String,
    }

    #[derive(TenantValues)]
    #[diesel(table_name = docs)]
    pub(super) struct NewDoc<'a> {
        pub(super) id: i64,
        pub(super) title: &'a str,
    }
}

mod sqlite {
    use super::*;
    use tenant_diesel_tests::sqlite::TestDb;

    use super::text_uuid::{docs, Doc, NewDoc};

    #[test]
    fn integer_tenant_ids_scope_reads_joins_and_writes() {
        let mut db = TestDb::new();
        db.app.batch_execute(INT_SCHEMA).unwrap();
        integer_ids_suite!(&mut db);
    }

    #[test]
    fn control_a_plain_join_follows_the_poisoned_reference() {
        let mut db = TestDb::new();
        db.app.batch_execute(INT_SCHEMA).unwrap();
        plain_join_follows_the_poisoned_reference(&mut db.app);
    }

    /// Both tenants have doc 1 "Plan"; one more row carries Acme's UUID in
    /// capitals, as another program might have written it: it is no tenant's.
    fn uuid_docs(db: &mut TestDb) {
        db.app
            .batch_execute(&format!(
                "CREATE TABLE docs (tenant_id TEXT NOT NULL, id BIGINT NOT NULL, title TEXT NOT NULL,
                                    PRIMARY KEY (tenant_id, id));
                 INSERT INTO docs VALUES ('{ACME_UUID}', 1, 'Plan'), ('{CONTOSO_UUID}', 1, 'Plan'),
                                         ('{upper}', 2, 'Capitals');",
                upper = ACME_UUID.hyphenated().to_string().to_uppercase()
            ))
            .unwrap();
    }

    #[test]
    fn uuid_tenant_ids_in_a_text_column_scope_reads_and_writes() {
        let mut db = TestDb::new();
        uuid_docs(&mut db);
        let (acme, contoso) = (ctx_of(ACME_UUID, "acme"), ctx_of(CONTOSO_UUID, "contoso"));
        let mut conn = TenantConn::new(&mut db.app, &acme);
        let mine: Vec<Doc> = Doc::scoped(&acme).load(&mut conn).unwrap();
        assert_eq!(
            mine,
            [Doc {
                tenant_id: ACME_UUID.to_string(),
                id: 1,
                title: "Plan".into()
            }],
            "the row in capitals is not read as Acme's"
        );
        Doc::scoped(&acme)
            .insert(&NewDoc {
                id: 3,
                title: "Budget",
            })
            .execute(&mut conn)
            .unwrap();
        let refused = Doc::scoped(&contoso).load::<Doc>(&mut conn);
        assert!(
            matches!(&refused, Err(diesel::result::Error::QueryBuilderError(e)) if e.is::<TenantMismatch>()),
            "{refused:?}"
        );
        drop(conn);
        let stamped: Vec<String> = diesel::RunQueryDsl::load(
            docs::table.filter(docs::id.eq(3)).select(docs::tenant_id),
            &mut db.observer,
        )
        .unwrap();
        assert_eq!(stamped, [ACME_UUID.hyphenated().to_string()]);
    }

    #[test]
    fn a_connection_for_uuid_ids_refuses_a_query_for_integer_ids() {
        let mut db = TestDb::new();
        db.app.batch_execute(INT_SCHEMA).unwrap();
        uuid_docs(&mut db);
        let mut conn = TenantConn::new(&mut db.app, &ctx_of(ACME_UUID, "acme"));
        let refused = Project::scoped(&ctx_of(ACME, "acme")).load::<Project>(&mut conn);
        assert!(
            matches!(&refused, Err(diesel::result::Error::QueryBuilderError(e))
            if e.downcast_ref::<TenantMismatch>() == Some(&TenantMismatch {
                query: AnyTenantId::Integer(ACME.into()),
                connection: AnyTenantId::Uuid(ACME_UUID),
            })),
            "{refused:?}"
        );
    }
}

/// MySQL and MariaDB: no wall, the library's scopes alone. UUIDs are kept as
/// text, like SQLite's, in a column of a binary collation: MariaDB's default
/// collation compares case-insensitively, and would read a UUID another program
/// wrote in capitals as the tenant's own.
mod mysql {
    use super::*;
    use tenant_diesel_tests::mysql::TestDb;

    use super::text_uuid::{docs, Doc, NewDoc};

    #[test]
    fn integer_tenant_ids_scope_reads_joins_and_writes() {
        let mut db = TestDb::new();
        db.observer.batch_execute(INT_SCHEMA).unwrap();
        integer_ids_suite!(&mut db);
    }

    #[test]
    fn control_a_plain_join_follows_the_poisoned_reference() {
        let mut db = TestDb::new();
        db.observer.batch_execute(INT_SCHEMA).unwrap();
        plain_join_follows_the_poisoned_reference(&mut db.app);
    }

    /// Both tenants have doc 1 "Plan"; one more row carries Acme's UUID in
    /// capitals, as another program might have written it: it is no tenant's
    /// under the binary `collation`.
    fn uuid_docs(db: &mut TestDb, collation: &str) {
        db.observer
            .batch_execute(&format!(
                "CREATE TABLE docs (tenant_id CHAR(36) COLLATE {collation} NOT NULL, id BIGINT NOT NULL,
                                    title VARCHAR(255) NOT NULL, PRIMARY KEY (tenant_id, id));
                 INSERT INTO docs VALUES ('{ACME_UUID}', 1, 'Plan'), ('{CONTOSO_UUID}', 1, 'Plan'),
                                         ('{upper}', 2, 'Capitals');",
                upper = ACME_UUID.hyphenated().to_string().to_uppercase()
            ))
            .unwrap();
    }

    #[test]
    fn uuid_tenant_ids_in_a_binary_text_column_scope_reads_and_writes() {
        let mut db = TestDb::new();
        uuid_docs(&mut db, "utf8mb4_bin");
        let (acme, contoso) = (ctx_of(ACME_UUID, "acme"), ctx_of(CONTOSO_UUID, "contoso"));
        let mut conn = TenantConn::new(&mut db.app, &acme);
        let mine: Vec<Doc> = Doc::scoped(&acme).load(&mut conn).unwrap();
        assert_eq!(
            mine,
            [Doc {
                tenant_id: ACME_UUID.to_string(),
                id: 1,
                title: "Plan".into()
            }],
            "the row in capitals is not read as Acme's"
        );
        Doc::scoped(&acme)
            .insert(&NewDoc {
                id: 3,
                title: "Budget",
            })
            .execute(&mut conn)
            .unwrap();
        // Contoso's doc 1 has Acme's id and title: neither changed nor removed.
        let renamed = Doc::scoped(&acme)
            .filter(docs::title.eq("Plan"))
            .update_all()
            .set_column(docs::title, "Acme's plan")
            .execute(&mut conn)
            .unwrap();
        assert_eq!(renamed, 1);
        assert_eq!(Doc::scoped(&acme).delete(2).execute(&mut conn), Ok(0));
        let refused = Doc::scoped(&contoso).load::<Doc>(&mut conn);
        assert!(
            matches!(&refused, Err(diesel::result::Error::QueryBuilderError(e)) if e.is::<TenantMismatch>()),
            "{refused:?}"
        );
        drop(conn);
        let all: Vec<(String, i64, String)> = diesel::RunQueryDsl::load(
            docs::table.order((docs::id, docs::tenant_id)),
            &mut db.observer,
        )
        .unwrap();
        assert_eq!(
            all,
            [
                (ACME_UUID.to_string(), 1, "Acme's plan".to_owned()),
                (CONTOSO_UUID.to_string(), 1, "Plan".to_owned()),
                (
                    ACME_UUID.to_string().to_uppercase(),
                    2,
                    "Capitals".to_owned()
                ),
                (ACME_UUID.to_string(), 3, "Budget".to_owned()),
            ]
        );
    }

    #[test]
    fn control_under_a_case_insensitive_collation_the_capitals_row_reads_as_the_tenants() {
        let mut db = TestDb::new();
        uuid_docs(&mut db, "utf8mb4_general_ci");
        let acme = ctx_of(ACME_UUID, "acme");
        let mut conn = TenantConn::new(&mut db.app, &acme);
        let mine: Vec<Doc> = Doc::scoped(&acme).order(docs::id).load(&mut conn).unwrap();
        assert_eq!(
            mine.iter().map(|d| d.title.as_str()).collect::<Vec<_>>(),
            ["Plan", "Capitals"]
        );
    }
}

/// What follows the id's type outside the queries: the directory over a
/// tenants table keyed by UUIDs in text, a job's claim, the keys, the audit log.
mod around_the_queries {
    use super::*;
    use diesel::r2d2::{ConnectionManager, Pool};
    use diesel::SqliteConnection;
    use tenant_diesel::audit::{AuditEvent, Auditor, DieselAuditSink};
    use tenant_diesel::{
        ActorId, ClaimKey, DirectoryError, InMemoryDirectory, Tenant, TenantDirectory, TenantId,
        TenantSlug,
    };
    use tenant_diesel_tests::sqlite::TestDb;
    use tenant_diesel_tests::TestMembers;

    #[allow(clippy::disallowed_methods)]
    mod directory_schema {
        diesel::table! {
            uuid_tenants (id) {
                id -> Text,
                slug -> Text,
                name -> Text,
                plan -> Text,
            }
        }

        diesel::table! {
            int_tenants (id) {
                id -> Integer,
                slug -> Text,
                name -> Text,
                plan -> Text,
            }
        }
    }

    use directory_schema::{int_tenants, uuid_tenants};

    global_table!(
        uuid_tenants(id, slug, name, plan),
        int_tenants(id, slug, name, plan)
    );

    tenant_diesel::tenants_directory! {
        /// Tenants keyed by UUIDs kept as text.
        struct UuidDirectory(Pool<ConnectionManager<SqliteConnection>>) for uuid_tenants;
    }

    tenant_diesel::tenants_directory! {
        /// Tenants keyed by `integer`.
        struct IntDirectory(Pool<ConnectionManager<SqliteConnection>>) for int_tenants;
    }

    fn slug(s: &str) -> TenantSlug {
        TenantSlug::parse(s).unwrap()
    }

    #[test]
    fn the_directory_reads_ids_of_the_tables_type_and_refuses_a_malformed_one() {
        let db = TestDb::new();
        let pool = Pool::builder()
            .max_size(1)
            .build(ConnectionManager::<SqliteConnection>::new(db.url()))
            .unwrap();
        pool.get()
            .unwrap()
            .batch_execute(&format!(
                "CREATE TABLE uuid_tenants (id TEXT PRIMARY KEY, slug TEXT NOT NULL, name TEXT NOT NULL, plan TEXT NOT NULL);
                 INSERT INTO uuid_tenants VALUES ('{ACME_UUID}', 'acme', 'Acme', 'pro'),
                                                 ('{upper}', 'shouty', 'Shouty', 'free');
                 CREATE TABLE int_tenants (id INTEGER PRIMARY KEY, slug TEXT NOT NULL, name TEXT NOT NULL, plan TEXT NOT NULL);
                 INSERT INTO int_tenants VALUES (2, 'contoso', 'Contoso', 'free');",
                upper = CONTOSO_UUID.hyphenated().to_string().to_uppercase()
            ))
            .unwrap();
        let uuids = UuidDirectory(pool.clone());
        let acme: Tenant<uuid::Uuid> = uuids.find_by_slug(&slug("acme")).unwrap().unwrap();
        assert_eq!(acme.id, TenantId::new(ACME_UUID));
        // A UUID in another spelling is not guessed at: the row is refused.
        assert!(matches!(
            uuids.find_by_slug(&slug("shouty")),
            Err(DirectoryError::InvalidId(slug)) if slug == "shouty"
        ));
        let contoso: Tenant<i32> = IntDirectory(pool)
            .find_by_slug(&slug("contoso"))
            .unwrap()
            .unwrap();
        assert_eq!(contoso.id, TenantId::new(CONTOSO));
    }

    #[test]
    fn a_claim_of_a_uuid_tenant_revalidates_into_a_context_of_uuid_ids() {
        let key = ClaimKey::from_bytes(&[9; 32]).unwrap();
        let acme = ctx_of(ACME_UUID, "acme");
        let payload = serde_json::to_string(&acme.claim(&key)).unwrap();
        let directory = InMemoryDirectory::new([Tenant {
            id: TenantId::new(ACME_UUID),
            slug: slug("acme"),
            name: "acme".into(),
            plan: "free".into(),
        }]);
        let claim: tenant_diesel::SealedClaim = serde_json::from_str(&payload).unwrap();
        let job = claim.revalidate(&key, &directory, &TestMembers).unwrap();
        assert_eq!(job, acme);
        // The slug re-created with another UUID is another tenant.
        let replaced = InMemoryDirectory::new([Tenant {
            id: TenantId::new(CONTOSO_UUID),
            slug: slug("acme"),
            name: "acme".into(),
            plan: "free".into(),
        }]);
        assert!(matches!(
            claim.revalidate(&key, &replaced, &TestMembers),
            Err(tenant_diesel::ClaimError::TenantReplaced(_))
        ));
    }

    #[test]
    fn keys_and_the_audit_log_carry_a_uuid_tenant() {
        let acme = ctx_of(ACME_UUID, "acme");
        assert_eq!(
            acme.cache_key("summary").as_str(),
            format!("tenant/{ACME_UUID}/cache/7:summary/")
        );
        assert_ne!(
            acme.cache_key("summary"),
            ctx_of(ACME, "acme").cache_key("summary")
        );
        let dir = tempfile::tempdir().unwrap();
        let sink = std::sync::Arc::new(
            DieselAuditSink::<SqliteConnection>::open(
                dir.path().join("audit.sqlite3").to_str().unwrap(),
            )
            .unwrap(),
        );
        let auditor = Auditor::new(sink.clone());
        auditor
            .record(AuditEvent::for_tenant(&acme, "select_doc"))
            .unwrap();
        auditor
            .record(AuditEvent::for_tenant(
                &ctx_of(CONTOSO, "contoso"),
                "select_project",
            ))
            .unwrap();
        auditor
            .record(AuditEvent::cross_tenant(
                ActorId::new("staff"),
                "admin.query",
                "support ticket 7",
            ))
            .unwrap();
        let tenants: Vec<_> = sink
            .events()
            .unwrap()
            .into_iter()
            .map(|e| e.tenant)
            .collect();
        assert_eq!(
            tenants,
            [
                Some(AnyTenantId::Uuid(ACME_UUID)),
                Some(AnyTenantId::Integer(CONTOSO.into())),
                None
            ]
        );
    }
}

mod postgres {
    use super::*;
    use std::time::Duration;

    use tenant_diesel::postgres::{rls_up_statements, verify_isolation, RlsMigrations, RlsTable};
    use tenant_diesel::TenantColumnSql;
    use tenant_diesel_tests::postgres::{rls_migrations, wall_key, TestDb};

    #[allow(clippy::disallowed_methods)]
    mod uuid_schema {
        diesel::table! {
            docs (tenant_id, id) {
                tenant_id -> Uuid,
                id -> BigInt,
                title -> Text,
            }
        }
    }

    use uuid_schema::docs;

    #[derive(Debug, PartialEq, Queryable, Selectable, TenantScoped)]
    #[diesel(table_name = docs)]
    struct Doc {
        tenant_id: uuid::Uuid,
        id: i64,
        title: String,
    }

    #[derive(TenantValues)]
    #[diesel(table_name = docs)]
    struct NewDoc<'a> {
        id: i64,
        title: &'a str,
    }

    /// `sql`, its tables put behind the generated wall and granted to the app.
    fn behind_the_wall(db: &mut TestDb, sql: &str, tables: &[RlsTable]) {
        db.wall_tables(sql, tables);
    }

    fn int_tables() -> Vec<RlsTable> {
        vec![
            RlsTable::of::<projects::table>(),
            RlsTable::of::<tasks::table>(),
            RlsTable::of::<events::table>(),
        ]
    }

    fn uuid_docs(db: &mut TestDb) {
        behind_the_wall(
            db,
            &format!(
                "CREATE TABLE docs (tenant_id UUID NOT NULL, id BIGINT NOT NULL, title TEXT NOT NULL,
                                    PRIMARY KEY (tenant_id, id));
                 INSERT INTO docs VALUES ('{ACME_UUID}', 1, 'Plan'), ('{CONTOSO_UUID}', 1, 'Plan');"
            ),
            &[RlsTable::of::<docs::table>()],
        );
    }

    /// How many rows of `table` the app role reads with raw SQL inside a unit
    /// of work whose setting is `signed`.
    fn raw_count(db: &mut TestDb, table: &str, signed: String) -> usize {
        db.raw_with_setting(&signed, &format!("SELECT * FROM {table}"))
            .unwrap()
    }

    #[test]
    fn the_generated_policies_compare_each_column_with_its_own_verifier() {
        let [projects, events] = [
            RlsTable::of::<projects::table>(),
            RlsTable::of::<events::table>(),
        ];
        let docs = RlsTable::of::<docs::table>();
        assert_eq!(projects.tenant_column_sql(), TenantColumnSql::Integer);
        assert_eq!(events.tenant_column_sql(), TenantColumnSql::BigInt);
        assert_eq!(docs.tenant_column_sql(), TenantColumnSql::Uuid);
        let setting = tenant_diesel_tests::postgres::tenant_setting();
        let policy = |table: &RlsTable| rls_up_statements(table, &setting)[2].clone();
        assert!(policy(&projects).contains("(\"org_id\" = (SELECT tenant_wall.current_tenant()))"));
        assert!(
            policy(&docs).contains("(\"tenant_id\" = (SELECT tenant_wall.current_tenant_uuid()))")
        );
        let text = RlsTable::named("docs", "tenant_id").column_sql(TenantColumnSql::UuidText);
        assert!(policy(&text).contains("(SELECT tenant_wall.current_tenant_uuid()::text)"));
    }

    #[test]
    fn integer_tenant_ids_scope_reads_joins_and_writes_behind_the_wall() {
        let mut db = TestDb::new();
        behind_the_wall(&mut db, INT_SCHEMA, &int_tables());
        integer_ids_suite!(&mut db);
    }

    #[test]
    fn control_a_plain_join_follows_the_poisoned_reference_without_the_wall() {
        let mut db = TestDb::new();
        behind_the_wall(&mut db, INT_SCHEMA, &int_tables());
        // As the owner, whom nothing walls.
        plain_join_follows_the_poisoned_reference(&mut db.observer);
    }

    #[test]
    fn the_wall_gives_an_integer_column_its_tenant_and_refuses_a_uuid_there() {
        let mut db = TestDb::new();
        behind_the_wall(&mut db, INT_SCHEMA, &int_tables());
        let lifetime = Duration::from_secs(30);
        let contoso = wall_key().signed_value(AnyTenantId::Integer(CONTOSO.into()), lifetime);
        assert_eq!(raw_count(&mut db, "projects", contoso.clone()), 1);
        assert_eq!(raw_count(&mut db, "events", contoso), 1);
        // A UUID tenant, though signed, is not an integer column's tenant.
        let uuid = wall_key().signed_value(AnyTenantId::Uuid(CONTOSO_UUID), lifetime);
        assert_eq!(raw_count(&mut db, "projects", uuid), 0);
    }

    #[test]
    fn uuid_tenant_ids_scope_reads_and_writes_behind_the_wall() {
        let mut db = TestDb::new();
        uuid_docs(&mut db);
        let acme = ctx_of(ACME_UUID, "acme");
        let mut conn = TenantConn::with_setting(&mut db.app, &acme, db.setting.clone());
        let mine: Vec<Doc> = Doc::scoped(&acme).load(&mut conn).unwrap();
        assert_eq!(
            mine,
            [Doc {
                tenant_id: ACME_UUID,
                id: 1,
                title: "Plan".into()
            }]
        );
        Doc::scoped(&acme)
            .insert(&NewDoc {
                id: 2,
                title: "Budget",
            })
            .execute(&mut conn)
            .unwrap();
        let changed = Doc::scoped(&acme)
            .update_all()
            .set_column(docs::title, "Mine")
            .execute(&mut conn)
            .unwrap();
        assert_eq!(changed, 2);
        drop(conn);
        let contoso: Vec<String> = diesel::RunQueryDsl::load(
            docs::table
                .filter(docs::tenant_id.eq(CONTOSO_UUID))
                .select(docs::title),
            &mut db.observer,
        )
        .unwrap();
        assert_eq!(contoso, ["Plan"]);
    }

    #[test]
    fn the_wall_gives_a_uuid_column_its_tenant_and_refuses_an_integer_there() {
        let mut db = TestDb::new();
        uuid_docs(&mut db);
        let lifetime = Duration::from_secs(30);
        let acme = wall_key().signed_value(AnyTenantId::Uuid(ACME_UUID), lifetime);
        assert_eq!(raw_count(&mut db, "docs", acme), 1);
        // An integer tenant never passes the UUID verifier; nor does a UUID
        // set bare, unsigned.
        let integer = wall_key().signed_value(AnyTenantId::Integer(1), lifetime);
        assert_eq!(raw_count(&mut db, "docs", integer), 0);
        assert_eq!(raw_count(&mut db, "docs", ACME_UUID.to_string()), 0);
        // Control: as the owner, without the wall, both tenants' rows.
        let all: i64 =
            diesel::RunQueryDsl::get_result(docs::table.count(), &mut db.observer).unwrap();
        assert_eq!(all, 2);
    }

    #[test]
    fn verify_isolation_accepts_integer_and_uuid_tenant_tables_and_their_policies_only() {
        let mut db = TestDb::new();
        behind_the_wall(&mut db, INT_SCHEMA, &int_tables());
        uuid_docs(&mut db);
        let rls: RlsMigrations = int_tables()
            .into_iter()
            .chain([RlsTable::of::<docs::table>()])
            .fold(rls_migrations(), RlsMigrations::table);
        assert_eq!(
            verify_isolation(&mut db.app, &rls)
                .err()
                .map(|e| e.to_string()),
            None
        );
        // A UUID policy that compares with the integer verifier's text is not
        // the generated one.
        db.observer
            .batch_execute(
                "ALTER POLICY docs_tenant_isolation ON docs \
                 USING (tenant_id::text = (SELECT tenant_wall.current_tenant())::text) \
                 WITH CHECK (tenant_id::text = (SELECT tenant_wall.current_tenant())::text)",
            )
            .unwrap();
        let found = verify_isolation(&mut db.app, &rls).unwrap_err().to_string();
        assert!(found.contains("docs_tenant_isolation"), "{found}");
    }
}
