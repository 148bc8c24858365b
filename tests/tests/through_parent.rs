//! Tables whose tenant is only reachable through a parent, as real schemas have
//! them: `team_members.team_id -> teams.account_id`, and one hop further,
//! `member_notes.member_id -> team_members.id`. Two tenants whose teams and
//! members share ids and names; each tenant reads, changes and inserts only
//! under its own parents, on SQLite, on MariaDB and behind PostgreSQL's row-level security,
//! each defence beside a control that shows what it stops.
//!
//! The tables are made here with raw SQL on purpose.
#![allow(clippy::disallowed_methods)]

use diesel::connection::SimpleConnection;
use tenant_diesel::prelude::*;
use tenant_diesel_tests::{ctx, ACME};

#[allow(clippy::disallowed_methods)]
mod schema {
    diesel::table! {
        teams (account_id, id) {
            account_id -> BigInt,
            id -> BigInt,
            name -> Text,
        }
    }

    diesel::table! {
        team_members (id) {
            id -> BigInt,
            team_id -> BigInt,
            user_name -> Text,
            role -> Text,
        }
    }

    diesel::table! {
        member_notes (id) {
            id -> BigInt,
            member_id -> BigInt,
            body -> Text,
        }
    }

    diesel::allow_tables_to_appear_in_same_query!(teams, team_members, member_notes);
}

use schema::{member_notes, team_members, teams};

#[derive(Debug, PartialEq, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = teams)]
#[tenant(column = account_id)]
struct Team {
    account_id: i64,
    id: i64,
    name: String,
}

#[derive(Debug, PartialEq, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = team_members)]
#[tenant(parent = teams, foreign_key = team_id)]
struct TeamMember {
    id: i64,
    team_id: i64,
    user_name: String,
    role: String,
}

#[derive(Debug, PartialEq, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = member_notes)]
#[tenant(parent = team_members, foreign_key = member_id)]
struct MemberNote {
    id: i64,
    member_id: i64,
    body: String,
}

#[derive(TenantValues)]
#[diesel(table_name = team_members)]
struct NewMember<'a> {
    id: i64,
    user_name: &'a str,
    role: &'a str,
}

#[derive(TenantValues)]
#[diesel(table_name = team_members)]
struct RoleChange<'a> {
    role: &'a str,
}

/// Acme's team 1 "Support" and Contoso's team 2 "Support"; members 10 and 20
/// both "sam"; notes 100 (Acme's member) and 200 (Contoso's).
const SCHEMA: &str = "
    CREATE TABLE teams (account_id BIGINT NOT NULL, id BIGINT NOT NULL, name TEXT NOT NULL,
                        PRIMARY KEY (account_id, id), UNIQUE (id));
    CREATE TABLE team_members (id BIGINT PRIMARY KEY, team_id BIGINT NOT NULL REFERENCES teams (id),
                               user_name TEXT NOT NULL, role TEXT NOT NULL);
    CREATE TABLE member_notes (id BIGINT PRIMARY KEY, member_id BIGINT NOT NULL REFERENCES team_members (id),
                               body TEXT NOT NULL);
    INSERT INTO teams VALUES (1, 1, 'Support'), (2, 2, 'Support');
    INSERT INTO team_members VALUES (10, 1, 'sam', 'agent'), (20, 2, 'sam', 'agent');
    INSERT INTO member_notes VALUES (100, 10, 'acme note'), (200, 20, 'contoso note');
";

/// The suite on a `TestDb`: Acme sees and changes its own members and notes
/// through its teams, one hop and two, and inserts only under its own team. A
/// macro: the same statements on each backend's connection.
macro_rules! through_parent_suite {
    ($db:expr) => {{
        let db = $db;
        let acme = ctx(ACME);
        let mut conn = TenantConn::with_setting(&mut db.app, &acme, db.setting.clone());

        let teams: Vec<Team> = Team::scoped(&acme).load(&mut conn).unwrap();
        assert_eq!(
            teams
                .iter()
                .map(|t| (t.account_id, t.id))
                .collect::<Vec<_>>(),
            [(ACME, 1)]
        );
        let members: Vec<TeamMember> = TeamMember::scoped(&acme).load(&mut conn).unwrap();
        assert_eq!(members.iter().map(|m| m.id).collect::<Vec<_>>(), [10]);
        let notes: Vec<MemberNote> = MemberNote::scoped(&acme).load(&mut conn).unwrap();
        assert_eq!(notes.iter().map(|n| n.id).collect::<Vec<_>>(), [100]);
        // Contoso's member and note, by id: not found.
        let member: Option<TeamMember> = TeamMember::scoped(&acme)
            .find(20)
            .first(&mut conn)
            .optional()
            .unwrap();
        assert_eq!(member, None);
        let note: Option<MemberNote> = MemberNote::scoped(&acme)
            .filter(member_notes::id.eq(200))
            .first(&mut conn)
            .optional()
            .unwrap();
        assert_eq!(note, None);

        // Updates and deletes reach the tenant's rows only.
        let promoted = TeamMember::scoped(&acme)
            .update_all()
            .set(&RoleChange { role: "lead" })
            .execute(&mut conn)
            .unwrap();
        assert_eq!(promoted, 1);
        let deleted = MemberNote::scoped(&acme)
            .delete(200)
            .execute(&mut conn)
            .unwrap();
        assert_eq!(deleted, 0);

        // An insert goes under the tenant's own team only.
        let added = TeamMember::scoped(&acme)
            .insert_under(
                1,
                &NewMember {
                    id: 11,
                    user_name: "ann",
                    role: "agent",
                },
            )
            .execute(&mut conn)
            .unwrap();
        assert_eq!(added, 1);
        let refused = TeamMember::scoped(&acme)
            .insert_under(
                2,
                &NewMember {
                    id: 12,
                    user_name: "eve",
                    role: "agent",
                },
            )
            .execute(&mut conn);
        assert_eq!(refused, Err(diesel::result::Error::NotFound));
        let nowhere = TeamMember::scoped(&acme)
            .insert_under(
                99,
                &NewMember {
                    id: 13,
                    user_name: "nobody",
                    role: "agent",
                },
            )
            .execute(&mut conn);
        assert_eq!(nowhere, Err(diesel::result::Error::NotFound));
        drop(conn);

        let all: Vec<(i64, i64, String, String)> = diesel::RunQueryDsl::load(
            team_members::table.order(team_members::id),
            &mut db.observer,
        )
        .unwrap();
        assert_eq!(
            all,
            [
                (10, 1, "sam".to_owned(), "lead".to_owned()),
                (11, 1, "ann".to_owned(), "agent".to_owned()),
                (20, 2, "sam".to_owned(), "agent".to_owned()),
            ]
        );
        let notes: i64 =
            diesel::RunQueryDsl::get_result(member_notes::table.count(), &mut db.observer).unwrap();
        assert_eq!(notes, 2, "Contoso's note is still there");
    }};
}

/// The control: the table declared shared reads every tenant's members, which
/// is what `global_table!` did before a table could say where its tenant is.
fn control_the_table_read_without_its_parent_reads_every_tenant<C>(conn: &mut C)
where
    C: diesel::Connection,
    for<'a> team_members::table: diesel::query_dsl::LoadQuery<'a, C, (i64, i64, String, String)>,
{
    let everyone: Vec<(i64, i64, String, String)> =
        diesel::RunQueryDsl::load(team_members::table, conn).unwrap();
    assert_eq!(everyone.len(), 2, "both tenants' members");
}

mod sqlite {
    use super::*;
    use tenant_diesel_tests::sqlite::TestDb;

    #[test]
    fn a_tenant_reaches_its_rows_through_its_parents_one_hop_and_two() {
        let mut db = TestDb::new();
        db.app.batch_execute(SCHEMA).unwrap();
        through_parent_suite!(&mut db);
    }

    #[test]
    fn control_without_the_parent_every_tenants_rows() {
        let mut db = TestDb::new();
        db.app.batch_execute(SCHEMA).unwrap();
        control_the_table_read_without_its_parent_reads_every_tenant(&mut db.app);
    }

    #[test]
    fn the_scope_is_the_hand_written_semi_join() {
        let acme = ctx(ACME);
        let one_hop = TeamMember::scoped(&acme)
            .debug_query::<diesel::sqlite::Sqlite>()
            .to_string();
        assert!(
            one_hop.contains(
                "WHERE (`team_members`.`team_id` IN (SELECT `teams`.`id` FROM `teams` WHERE (`teams`.`account_id` = ?)))"
            ),
            "{one_hop}"
        );
        let two_hops = MemberNote::scoped(&acme)
            .debug_query::<diesel::sqlite::Sqlite>()
            .to_string();
        assert!(
            two_hops.contains("`member_notes`.`member_id` IN (SELECT `team_members`.`id` FROM `team_members` WHERE (`team_members`.`team_id` IN (SELECT `teams`.`id` FROM `teams` WHERE (`teams`.`account_id` = ?))))"),
            "{two_hops}"
        );
    }
}

/// MySQL: no wall, the scopes alone, on tables `root` made.
mod mysql {
    use super::*;
    use tenant_diesel_tests::mysql::TestDb;

    #[test]
    fn a_tenant_reaches_its_rows_through_its_parents_one_hop_and_two() {
        let mut db = TestDb::new();
        db.observer.batch_execute(SCHEMA).unwrap();
        through_parent_suite!(&mut db);
    }

    #[test]
    fn control_without_the_parent_every_tenants_rows() {
        let mut db = TestDb::new();
        db.observer.batch_execute(SCHEMA).unwrap();
        control_the_table_read_without_its_parent_reads_every_tenant(&mut db.app);
    }

    #[test]
    fn the_scope_is_the_hand_written_semi_join() {
        let acme = ctx(ACME);
        let two_hops = MemberNote::scoped(&acme)
            .debug_query::<diesel::mysql::Mysql>()
            .to_string();
        assert!(
            two_hops.contains("`member_notes`.`member_id` IN (SELECT `team_members`.`id` FROM `team_members` WHERE (`team_members`.`team_id` IN (SELECT `teams`.`id` FROM `teams` WHERE (`teams`.`account_id` = ?))))"),
            "{two_hops}"
        );
    }
}

use postgres::behind_the_wall as behind_the_wall_for_async;

mod postgres {
    use super::*;
    use tenant_diesel::postgres::{rls_up_statements, verify_isolation, RlsMigrations, RlsTable};
    use tenant_diesel_tests::postgres::{rls_migrations, TestDb};

    fn tables() -> [RlsTable; 3] {
        [
            RlsTable::of::<teams::table>(),
            RlsTable::through::<team_members::table>(),
            RlsTable::through::<member_notes::table>(),
        ]
    }

    pub(super) fn behind_the_wall(db: &mut TestDb) {
        db.wall_tables(SCHEMA, &tables());
    }

    /// Raw SQL as the app role inside Acme's signed unit of work.
    fn as_acme(db: &mut TestDb, sql: &str) -> Result<usize, String> {
        db.raw_as(TenantId::new(ACME), sql)
    }

    #[test]
    fn the_policy_of_a_table_reached_through_its_parent_is_the_semi_join() {
        let setting = tenant_diesel_tests::postgres::tenant_setting();
        let policy =
            rls_up_statements(&RlsTable::through::<team_members::table>(), &setting)[2].clone();
        assert!(
            policy.contains("USING (\"team_id\" IN (SELECT \"teams\".\"id\" FROM \"teams\"))"),
            "{policy}"
        );
    }

    #[test]
    fn a_tenant_reaches_its_rows_through_its_parents_behind_the_wall() {
        let mut db = TestDb::new();
        behind_the_wall(&mut db);
        through_parent_suite!(&mut db);
    }

    #[test]
    fn the_wall_alone_keeps_raw_sql_to_the_tenants_members_and_parents() {
        let mut db = TestDb::new();
        behind_the_wall(&mut db);
        // Raw SQL, which the types never see: one hop and two.
        assert_eq!(as_acme(&mut db, "SELECT * FROM team_members"), Ok(1));
        assert_eq!(as_acme(&mut db, "SELECT * FROM member_notes"), Ok(1));
        assert_eq!(
            as_acme(&mut db, "UPDATE team_members SET role = 'owned'"),
            Ok(1)
        );
        assert_eq!(
            as_acme(&mut db, "DELETE FROM member_notes WHERE id = 200"),
            Ok(0)
        );
        // Neither a row under Contoso's team, nor a row moved there.
        let planted = as_acme(
            &mut db,
            "INSERT INTO team_members VALUES (30, 2, 'mallory', 'agent')",
        );
        assert!(planted.unwrap_err().contains("row-level security"));
        let moved = as_acme(&mut db, "UPDATE team_members SET team_id = 2 WHERE id = 10");
        assert!(moved.unwrap_err().contains("row-level security"));
        // Control: as the owner, without the wall, both tenants' members.
        control_the_table_read_without_its_parent_reads_every_tenant(&mut db.observer);
    }

    #[test]
    fn verify_isolation_accepts_the_through_tables_and_refuses_one_whose_parent_is_not_walled() {
        let mut db = TestDb::new();
        behind_the_wall(&mut db);
        let rls = tables()
            .into_iter()
            .fold(rls_migrations(), RlsMigrations::table);
        assert_eq!(
            verify_isolation(&mut db.app, &rls)
                .err()
                .map(|e| e.to_string()),
            None
        );
        // The parent left out of the declaration: the child trusts it.
        let without_parent = rls_migrations()
            .through_table::<team_members::table>()
            .through_table::<member_notes::table>();
        let found = verify_isolation(&mut db.app, &without_parent)
            .unwrap_err()
            .to_string();
        assert!(
            found.contains(
                "`team_members` reaches its tenant through `teams`, which is not declared"
            ),
            "{found}"
        );
        // A through policy that trusts every team is not the generated one.
        db.observer
            .batch_execute(
                "ALTER POLICY team_members_tenant_isolation ON team_members
                     USING (team_id IN (SELECT id FROM teams) OR true)
                     WITH CHECK (team_id IN (SELECT id FROM teams) OR true);",
            )
            .unwrap();
        let found = verify_isolation(&mut db.app, &rls).unwrap_err();
        assert!(
            found.to_string().contains("team_members_tenant_isolation"),
            "{found}"
        );
    }
}

/// `insert_under` on diesel-async's connections: the same check, then the
/// insert, inside the unit of work.
mod on_async_connections {
    use diesel_async::{AsyncConnection, AsyncPgConnection};
    use tenant_diesel::async_conn::{AsyncSqliteConnection, AsyncTenantConn, RunQueryDsl};
    use tenant_diesel_tests::postgres::{PgServer, APP_ROLE};
    use tenant_diesel_tests::{ctx, ACME};

    use super::{behind_the_wall_for_async, NewMember, TeamMember, SCHEMA};

    /// Acme inserts under its own team and is refused under Contoso's.
    macro_rules! insert_under_suite {
        ($raw:expr, $setting:expr) => {{
            let acme = ctx(ACME);
            let mut conn = AsyncTenantConn::with_setting($raw, &acme, $setting);
            let added = TeamMember::scoped(&acme)
                .insert_under(
                    1,
                    &NewMember {
                        id: 11,
                        user_name: "ann",
                        role: "agent",
                    },
                )
                .execute(&mut conn)
                .await;
            assert_eq!(added, Ok(1));
            let refused = TeamMember::scoped(&acme)
                .insert_under(
                    2,
                    &NewMember {
                        id: 12,
                        user_name: "eve",
                        role: "agent",
                    },
                )
                .execute(&mut conn)
                .await;
            assert_eq!(refused, Err(diesel::result::Error::NotFound));
            let members: Vec<TeamMember> = TeamMember::scoped(&acme).load(&mut conn).await.unwrap();
            assert_eq!(members.iter().map(|m| m.id).collect::<Vec<_>>(), [10, 11]);
        }};
    }

    #[tokio::test]
    async fn insert_under_on_the_async_sqlite_connection() {
        let db = tenant_diesel_tests::sqlite::TestDb::new();
        let mut raw = AsyncSqliteConnection::establish(&db.url()).await.unwrap();
        diesel_async::SimpleAsyncConnection::batch_execute(&mut raw, SCHEMA)
            .await
            .unwrap();
        insert_under_suite!(raw, db.setting.clone());
    }

    #[tokio::test]
    async fn insert_under_on_the_async_postgres_connection_behind_the_wall() {
        let mut db = tenant_diesel_tests::postgres::TestDb::new();
        behind_the_wall_for_async(&mut db);
        let raw = AsyncPgConnection::establish(&PgServer::shared().url(APP_ROLE, &db.name))
            .await
            .unwrap();
        insert_under_suite!(raw, db.setting.clone());
    }
}
