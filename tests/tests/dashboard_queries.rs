//! The queries a real dashboard writes, on an unedited print-schema of a support
//! inbox: joins of three tables chained and nested, inner and left, nullable
//! foreign keys in both directions, a filter before the join, a join with a
//! condition of its own (a foreign key of another integer width), a global
//! table in the middle; and Diesel's associations (`belonging_to`,
//! `grouped_by`). Two tenants whose ids and names collide, and rows poisoned to
//! point across tenants; on SQLite, on MariaDB and behind PostgreSQL's row-level security.
//!
//! The tables are made here with raw SQL on purpose.
#![allow(clippy::disallowed_methods)]

use diesel::connection::SimpleConnection;
use diesel::sql_types::BigInt;
use tenant_diesel::prelude::*;
use tenant_diesel_tests::ctx;

const ACME: i64 = 1;
const CONTOSO: i64 = 2;

#[allow(clippy::disallowed_methods)]
mod schema {
    diesel::table! {
        channels (id) {
            id -> BigInt,
            kind -> Text,
        }
    }

    diesel::table! {
        inboxes (id) {
            id -> BigInt,
            account_id -> BigInt,
            channel_id -> BigInt,
            name -> Text,
        }
    }

    diesel::table! {
        teams (id) {
            id -> BigInt,
            account_id -> BigInt,
            name -> Text,
            parent_team_id -> Nullable<BigInt>,
        }
    }

    diesel::table! {
        slas (id) {
            id -> BigInt,
            account_id -> BigInt,
            name -> Text,
        }
    }

    diesel::table! {
        conversations (id) {
            id -> BigInt,
            account_id -> BigInt,
            inbox_id -> BigInt,
            team_id -> Nullable<BigInt>,
            sla_id -> Nullable<Integer>,
            subject -> Text,
        }
    }

    diesel::table! {
        messages (id) {
            id -> BigInt,
            account_id -> BigInt,
            conversation_id -> BigInt,
            inbox_id -> BigInt,
            content -> Text,
        }
    }

    diesel::joinable!(inboxes -> channels (channel_id));
    diesel::joinable!(conversations -> inboxes (inbox_id));
    diesel::joinable!(conversations -> teams (team_id));
    diesel::joinable!(messages -> conversations (conversation_id));
    diesel::joinable!(messages -> inboxes (inbox_id));
    diesel::allow_tables_to_appear_in_same_query!(
        channels,
        inboxes,
        teams,
        slas,
        conversations,
        messages
    );
}

use schema::*;

#[derive(Debug, PartialEq, Queryable, Identifiable, TenantScoped)]
#[diesel(table_name = inboxes)]
#[tenant(column = account_id)]
struct Inbox {
    id: i64,
    account_id: i64,
    channel_id: i64,
    name: String,
}

#[derive(Debug, PartialEq, Queryable, Identifiable, TenantScoped)]
#[diesel(table_name = teams)]
#[tenant(column = account_id)]
struct Team {
    id: i64,
    account_id: i64,
    name: String,
    parent_team_id: Option<i64>,
}

#[derive(Debug, PartialEq, Queryable, TenantScoped)]
#[diesel(table_name = slas)]
#[tenant(column = account_id)]
struct Sla {
    id: i64,
    account_id: i64,
    name: String,
}

#[derive(Debug, PartialEq, Queryable, Identifiable, Associations, TenantScoped)]
#[diesel(table_name = conversations, belongs_to(Inbox), belongs_to(Team))]
#[tenant(column = account_id)]
struct Conversation {
    id: i64,
    account_id: i64,
    inbox_id: i64,
    team_id: Option<i64>,
    sla_id: Option<i32>,
    subject: String,
}

#[derive(Debug, PartialEq, Queryable, TenantScoped)]
#[diesel(table_name = messages)]
#[tenant(column = account_id)]
struct Message {
    id: i64,
    account_id: i64,
    conversation_id: i64,
    inbox_id: i64,
    content: String,
}

tenant_diesel::global_table!(channels(id, kind));
tenant_joinable!(conversations -> inboxes (inbox_id));
tenant_joinable!(conversations -> teams (team_id));
tenant_joinable!(messages -> conversations (conversation_id));
tenant_joinable!(messages -> inboxes (inbox_id));
global_joinable!(inboxes -> channels (channel_id));

/// Both tenants have inbox 1 "Support", team 1 "Tier 1", SLA 1 "Gold",
/// conversation 1 "Refund" and message 1 "hello": every id and name collides.
/// Acme's team 4 "Tier 2" reports to its team 1, whose parent (2) exists only
/// at Contoso.
/// Acme also has conversation 2 without a team, and conversation 3 whose
/// `team_id` and `sla_id` (2) exist only at Contoso; Contoso's message 2 points at
/// conversation 2, which exists only at Acme.
const SCHEMA: &str = "
    CREATE TABLE channels (id BIGINT PRIMARY KEY, kind TEXT NOT NULL);
    CREATE TABLE inboxes (account_id BIGINT NOT NULL, id BIGINT NOT NULL, channel_id BIGINT NOT NULL,
                          name TEXT NOT NULL, PRIMARY KEY (account_id, id));
    CREATE TABLE teams (account_id BIGINT NOT NULL, id BIGINT NOT NULL, name TEXT NOT NULL,
                        parent_team_id BIGINT, PRIMARY KEY (account_id, id));
    CREATE TABLE slas (account_id BIGINT NOT NULL, id BIGINT NOT NULL, name TEXT NOT NULL,
                       PRIMARY KEY (account_id, id));
    CREATE TABLE conversations (account_id BIGINT NOT NULL, id BIGINT NOT NULL, inbox_id BIGINT NOT NULL,
                                team_id BIGINT, sla_id INTEGER, subject TEXT NOT NULL,
                                PRIMARY KEY (account_id, id));
    CREATE TABLE messages (account_id BIGINT NOT NULL, id BIGINT NOT NULL, conversation_id BIGINT NOT NULL,
                           inbox_id BIGINT NOT NULL, content TEXT NOT NULL, PRIMARY KEY (account_id, id));
    INSERT INTO channels VALUES (1, 'email'), (2, 'chat');
    INSERT INTO inboxes VALUES (1, 1, 1, 'Support'), (2, 1, 2, 'Support');
    INSERT INTO teams VALUES (1, 1, 'Tier 1', 2), (1, 4, 'Tier 2', 1),
                             (2, 1, 'Tier 1', NULL), (2, 2, 'Contoso only', 1);
    INSERT INTO slas VALUES (1, 1, 'Gold'), (2, 1, 'Gold'), (2, 2, 'Contoso only');
    INSERT INTO conversations VALUES (1, 1, 1, 1, 1, 'Refund'), (1, 2, 1, NULL, NULL, 'No team'),
                                     (1, 3, 1, 2, 2, 'Poisoned'),
                                     (2, 1, 1, 1, 1, 'Refund');
    INSERT INTO messages VALUES (1, 1, 1, 1, 'hello'), (1, 2, 2, 1, 'no team here'),
                                (2, 1, 1, 1, 'hello'), (2, 2, 2, 1, 'poisoned');
";

/// The suite on a `TestDb`: the statements on each backend's connection.
macro_rules! joins_suite {
    ($db:expr) => {{
        let db = $db;
        let acme = ctx(ACME);
        let contoso = ctx(CONTOSO);
        let mut conn = TenantConn::with_setting(&mut db.app, &acme, db.setting.clone());

        // Chained: each table joins the first, as in Diesel.
        let chained: Vec<(i64, String, String)> = Message::scoped(&acme)
            .inner_join(conversations::table)
            .inner_join(inboxes::table)
            .select((messages::id, conversations::subject, inboxes::name))
            .order(messages::id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(
            chained,
            [
                (1, "Refund".to_owned(), "Support".to_owned()),
                (2, "No team".to_owned(), "Support".to_owned()),
            ]
        );

        // Nested: the team joins the conversation; a nullable foreign key.
        let nested: Vec<(i64, String)> = Message::scoped(&acme)
            .inner_join(conversations::table.inner_join(teams::table))
            .select((messages::id, teams::name))
            .load(&mut conn)
            .unwrap();
        assert_eq!(nested, [(1, "Tier 1".to_owned())]);

        // Left, nested: messages whose conversation has no team keep theirs,
        // and the poisoned team id finds no team of another tenant.
        let left_nested: Vec<(i64, Option<String>)> = Message::scoped(&acme)
            .inner_join(conversations::table.left_join(teams::table))
            .select((messages::id, teams::name.nullable()))
            .order(messages::id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(left_nested, [(1, Some("Tier 1".to_owned())), (2, None)]);

        // An inner nest in a left join: a message keeps its conversation only
        // when that conversation has a team (`a ⟕ (b ⋈ c)`), unlike the chain.
        let inner_in_left: Vec<(i64, Option<String>, Option<String>)> = Message::scoped(&acme)
            .left_join(conversations::table.inner_join(teams::table))
            .select((
                messages::id,
                conversations::subject.nullable(),
                teams::name.nullable(),
            ))
            .order(messages::id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(
            inner_in_left,
            [
                (1, Some("Refund".to_owned()), Some("Tier 1".to_owned())),
                (2, None, None)
            ]
        );

        // The same with a global table inside the nest.
        let channels_in_left: Vec<(i64, Option<String>)> = Message::scoped(&acme)
            .left_join(inboxes::table.inner_join(channels::table))
            .select((messages::id, channels::kind.nullable()))
            .order(messages::id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(
            channels_in_left,
            [(1, Some("email".to_owned())), (2, Some("email".to_owned()))]
        );

        // A nullable foreign key, left-joined from the child.
        let with_teams: Vec<(i64, Option<String>)> = Conversation::scoped(&acme)
            .left_join(teams::table)
            .select((conversations::id, teams::name.nullable()))
            .order(conversations::id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(
            with_teams,
            [(1, Some("Tier 1".to_owned())), (2, None), (3, None)]
        );

        // And from the parent: each team with its conversations.
        let per_team: Vec<(String, Option<i64>)> = Team::scoped(&acme)
            .left_join(conversations::table)
            .select((teams::name, conversations::id.nullable()))
            .order(teams::id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(
            per_team,
            [("Tier 1".to_owned(), Some(1)), ("Tier 2".to_owned(), None)]
        );

        // A self-join through `diesel::alias!`: each team with its parent
        // team, which is never another tenant's.
        let parent = diesel::alias!(teams as parent_teams);
        let with_parents: Vec<(String, Option<String>)> = Team::scoped(&acme)
            .left_join(parent.on(teams::parent_team_id.eq(parent.field(teams::id).nullable())))
            .select((teams::name, parent.field(teams::name).nullable()))
            .order(teams::id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(
            with_parents,
            [
                ("Tier 1".to_owned(), None),
                ("Tier 2".to_owned(), Some("Tier 1".to_owned()))
            ]
        );
        let reporting: Vec<(i64, i64)> = Team::scoped(&acme)
            .inner_join(parent.on(teams::parent_team_id.eq(parent.field(teams::id).nullable())))
            .select((teams::id, parent.field(teams::account_id)))
            .load(&mut conn)
            .unwrap();
        assert_eq!(reporting, [(4, ACME)]);

        // Filter first, then join, then filter on the joined table.
        let filtered: Vec<i64> = Message::scoped(&acme)
            .filter(messages::content.like("%team%"))
            .inner_join(conversations::table)
            .filter(conversations::team_id.is_null())
            .select(messages::id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(filtered, [2]);

        // A condition of its own: an `integer` key to a `bigint` id.
        let with_sla: Vec<(i64, String)> = Conversation::scoped(&acme)
            .inner_join(
                slas::table.on(conversations::sla_id
                    .cast::<diesel::sql_types::Nullable<BigInt>>()
                    .eq(slas::id.nullable())),
            )
            .select((conversations::id, slas::name))
            .order(conversations::id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(with_sla, [(1, "Gold".to_owned())]);
        let left_sla: Vec<(i64, Option<String>)> = Conversation::scoped(&acme)
            .left_join(
                slas::table.on(conversations::sla_id
                    .cast::<diesel::sql_types::Nullable<BigInt>>()
                    .eq(slas::id.nullable())),
            )
            .select((conversations::id, slas::name.nullable()))
            .order(conversations::id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(
            left_sla,
            [(1, Some("Gold".to_owned())), (2, None), (3, None)]
        );

        // Parent to child, and a table nobody joins still scoped alone.
        let per_inbox: Vec<(String, i64)> = Inbox::scoped(&acme)
            .inner_join(conversations::table)
            .select((inboxes::name, conversations::id))
            .order(conversations::id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(per_inbox.len(), 3);
        let slas: i64 = Sla::scoped(&acme).count().get_result(&mut conn).unwrap();
        assert_eq!(slas, 1);

        // An `OR` in the condition stays inside it: the tenant terms are
        // `AND`ed around it, so it cannot reach Contoso's SLA 2.
        let or_escape: Vec<(i64, i64)> = Conversation::scoped(&acme)
            .inner_join(
                slas::table.on(conversations::sla_id
                    .cast::<diesel::sql_types::Nullable<BigInt>>()
                    .eq(slas::id.nullable())
                    .or(slas::account_id.eq(CONTOSO).nullable())),
            )
            .select((conversations::id, slas::account_id))
            .order(conversations::id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(or_escape, [(1, ACME)]);

        // Associations: the tenant's conversations of the tenant's inboxes and
        // teams, grouped by Diesel's `grouped_by`; a parent of another tenant
        // finds only this tenant's own rows that name its id.
        let inboxes: Vec<Inbox> = Inbox::scoped(&acme).load(&mut conn).unwrap();
        let conversations: Vec<Conversation> = Conversation::scoped(&acme)
            .belonging_to(&inboxes)
            .order(conversations::id)
            .load(&mut conn)
            .unwrap();
        let per_inbox: Vec<(String, Vec<i64>)> = conversations
            .grouped_by(&inboxes)
            .into_iter()
            .zip(&inboxes)
            .map(|(rows, inbox)| (inbox.name.clone(), rows.iter().map(|c| c.id).collect()))
            .collect();
        assert_eq!(per_inbox, [("Support".to_owned(), vec![1, 2, 3])]);
        let teams: Vec<Team> = Team::scoped(&acme).load(&mut conn).unwrap();
        let in_teams: Vec<i64> = Conversation::scoped(&acme)
            .belonging_to(&teams)
            .select(conversations::id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(in_teams, [1], "a nullable foreign key");
        let contoso_team = Team {
            id: 2,
            account_id: CONTOSO,
            name: "Contoso only".to_owned(),
            parent_team_id: Some(1),
        };
        let poisoned: Vec<(i64, i64)> = Conversation::scoped(&acme)
            .belonging_to(std::slice::from_ref(&contoso_team))
            .select((conversations::account_id, conversations::id))
            .load(&mut conn)
            .unwrap();
        assert_eq!(poisoned, [(ACME, 3)], "Acme's own row that names team 2");

        // A global table in the middle of the chain.
        let channels: Vec<(i64, String)> = Message::scoped(&acme)
            .inner_join(inboxes::table.inner_join(channels::table))
            .select((messages::id, channels::kind))
            .order(messages::id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(channels, [(1, "email".to_owned()), (2, "email".to_owned())]);
        drop(conn);

        // Contoso's poisoned message points at Acme's conversation 2: nothing.
        let mut conn = TenantConn::with_setting(&mut db.app, &contoso, db.setting.clone());
        let theirs: Vec<(i64, String)> = Message::scoped(&contoso)
            .inner_join(conversations::table)
            .inner_join(inboxes::table)
            .select((messages::id, conversations::subject))
            .load(&mut conn)
            .unwrap();
        assert_eq!(theirs, [(1, "Refund".to_owned())]);
    }};
}

/// The control: Diesel's own chain, with the first table filtered by the
/// tenant and nothing else, joins Contoso's poisoned message to Acme's
/// conversation.
fn control_a_join_on_the_key_alone_crosses_tenants<C>(conn: &mut C)
where
    C: diesel::Connection,
    for<'a> diesel::dsl::Select<
        diesel::dsl::Filter<
            diesel::dsl::InnerJoin<messages::table, conversations::table>,
            diesel::dsl::Eq<messages::account_id, i64>,
        >,
        (
            messages::id,
            conversations::subject,
            conversations::account_id,
        ),
    >: diesel::query_dsl::LoadQuery<'a, C, (i64, String, i64)>,
{
    let rows: Vec<(i64, String, i64)> = diesel::RunQueryDsl::load(
        messages::table
            .inner_join(conversations::table)
            .filter(messages::account_id.eq(CONTOSO))
            .select((
                messages::id,
                conversations::subject,
                conversations::account_id,
            )),
        conn,
    )
    .unwrap();
    assert!(
        rows.contains(&(2, "No team".to_owned(), ACME)),
        "the key alone reaches Acme's conversation: {rows:?}"
    );
}

/// The declared pairs' `ON`, as a hand-written join spells them: the keys and
/// the tenant columns equal.
macro_rules! message_to_conversation {
    () => {
        messages::conversation_id
            .eq(conversations::id)
            .and(messages::account_id.eq(conversations::account_id))
    };
}

macro_rules! conversation_to_team {
    () => {
        conversations::team_id
            .eq(teams::id.nullable())
            .and(conversations::account_id.eq(teams::account_id))
    };
}

/// The hand-written SQL of the scoped chain, nest and condition below: every
/// tenant table with `tenant = ?` (in `WHERE` for an inner join, inside `ON` for
/// a left one) and the tenant equality in its `ON`, which is what a distributed
/// engine such as Citus routes to a single shard.
macro_rules! sql_shape_suite {
    ($backend:ty) => {
        fn sql<Q: diesel::query_builder::QueryFragment<$backend>>(query: &Q) -> String {
            diesel::debug_query::<$backend, _>(query).to_string()
        }

        #[test]
        fn a_chain_of_three_is_the_hand_written_chain() {
            let acme = ctx(ACME);
            let scoped = Message::scoped(&acme)
                .inner_join(conversations::table)
                .inner_join(inboxes::table)
                .select(messages::id);
            let hand_written = messages::table
                .filter(messages::account_id.eq(ACME))
                .inner_join(conversations::table.on(message_to_conversation!()))
                .filter(conversations::account_id.eq(ACME))
                .inner_join(
                    inboxes::table.on(messages::inbox_id
                        .eq(inboxes::id)
                        .and(messages::account_id.eq(inboxes::account_id))),
                )
                .filter(inboxes::account_id.eq(ACME))
                .select(messages::id);
            assert_eq!(
                scoped.debug_query::<$backend>().to_string(),
                sql(&hand_written)
            );
        }

        #[test]
        fn a_nest_is_the_chain_it_equals_each_step_on_its_own_pair() {
            let acme = ctx(ACME);
            let scoped = Message::scoped(&acme)
                .inner_join(conversations::table.left_join(teams::table))
                .select(messages::id);
            let hand_written = messages::table
                .filter(messages::account_id.eq(ACME))
                .inner_join(conversations::table.on(message_to_conversation!()))
                .filter(conversations::account_id.eq(ACME))
                .left_join(teams::table.on(conversation_to_team!().and(teams::account_id.eq(ACME))))
                .select(messages::id);
            let text = scoped.debug_query::<$backend>().to_string();
            assert_eq!(text, sql(&hand_written));
            // The left-joined team's tenant stays in its `ON`.
            let (_, r#where) = text.split_once("WHERE").expect("a WHERE clause");
            assert!(!r#where.contains("teams"), "{text}");
        }

        #[test]
        fn an_inner_nest_in_a_left_join_is_the_chain_with_exists() {
            let acme = ctx(ACME);
            let scoped = Message::scoped(&acme)
                .left_join(conversations::table.inner_join(teams::table))
                .select(messages::id);
            let team_of_the_conversation = teams::table
                .filter(teams::account_id.eq(ACME))
                .filter(conversation_to_team!());
            let hand_written = messages::table
                .filter(messages::account_id.eq(ACME))
                .left_join(
                    conversations::table.on(diesel::dsl::exists(team_of_the_conversation)
                        .and(message_to_conversation!().and(conversations::account_id.eq(ACME)))),
                )
                .left_join(teams::table.on(conversation_to_team!().and(teams::account_id.eq(ACME))))
                .select(messages::id);
            let text = scoped.debug_query::<$backend>().to_string();
            assert_eq!(text, sql(&hand_written));
            let (_, r#where) = text.rsplit_once("WHERE").expect("a WHERE clause");
            assert!(!r#where.contains("teams"), "{text}");
        }

        #[test]
        fn belonging_to_is_the_hand_written_in() {
            let acme = ctx(ACME);
            let inboxes = [Inbox {
                id: 1,
                account_id: ACME,
                channel_id: 1,
                name: "Support".to_owned(),
            }];
            let scoped = Conversation::scoped(&acme).belonging_to(&inboxes);
            let hand_written = conversations::table
                .filter(conversations::account_id.eq(ACME))
                .filter(conversations::inbox_id.eq_any(vec![1_i64]));
            assert_eq!(
                scoped.debug_query::<$backend>().to_string(),
                sql(&hand_written)
            );
        }

        #[test]
        fn a_self_join_through_an_alias_carries_the_aliass_tenant_filter() {
            let acme = ctx(ACME);
            let parent = diesel::alias!(teams as parent_teams);
            let on = teams::parent_team_id.eq(parent.field(teams::id).nullable());
            let inner = Team::scoped(&acme)
                .inner_join(parent.on(on))
                .select(teams::id);
            let hand_written = teams::table
                .filter(teams::account_id.eq(ACME))
                .inner_join(parent.on(on))
                .filter(parent.field(teams::account_id).eq(ACME))
                .select(teams::id);
            assert_eq!(
                inner.debug_query::<$backend>().to_string(),
                sql(&hand_written)
            );
            let left = Team::scoped(&acme)
                .left_join(parent.on(on))
                .select(teams::id);
            let hand_written = teams::table
                .filter(teams::account_id.eq(ACME))
                .left_join(parent.on(parent.field(teams::account_id).eq(ACME).and(on)))
                .select(teams::id);
            assert_eq!(
                left.debug_query::<$backend>().to_string(),
                sql(&hand_written)
            );
        }

        #[test]
        fn a_condition_of_its_own_gets_the_tenant_terms() {
            let acme = ctx(ACME);
            let on = conversations::sla_id
                .cast::<diesel::sql_types::Nullable<BigInt>>()
                .eq(slas::id.nullable());
            let inner = Conversation::scoped(&acme)
                .inner_join(slas::table.on(on))
                .select(slas::name);
            let hand_written = conversations::table
                .filter(conversations::account_id.eq(ACME))
                .inner_join(slas::table.on(slas::account_id.eq(conversations::account_id).and(on)))
                .filter(slas::account_id.eq(ACME))
                .select(slas::name);
            assert_eq!(
                inner.debug_query::<$backend>().to_string(),
                sql(&hand_written)
            );
            let left = Conversation::scoped(&acme)
                .left_join(slas::table.on(on))
                .select(slas::name.nullable());
            let hand_written = conversations::table
                .filter(conversations::account_id.eq(ACME))
                .left_join(
                    slas::table.on(slas::account_id
                        .eq(conversations::account_id)
                        .and(slas::account_id.eq(ACME))
                        .and(on)),
                )
                .select(slas::name.nullable());
            assert_eq!(
                left.debug_query::<$backend>().to_string(),
                sql(&hand_written)
            );
        }
    };
}

mod sqlite {
    use super::*;
    use tenant_diesel_tests::sqlite::TestDb;

    sql_shape_suite!(diesel::sqlite::Sqlite);

    #[test]
    fn joins_of_any_depth_keep_to_the_tenant() {
        let mut db = TestDb::new();
        db.app.batch_execute(SCHEMA).unwrap();
        joins_suite!(&mut db);
    }

    #[test]
    fn control_without_the_tenant_terms_a_join_crosses_tenants() {
        let mut db = TestDb::new();
        db.app.batch_execute(SCHEMA).unwrap();
        control_a_join_on_the_key_alone_crosses_tenants(&mut db.app);
    }
}

mod postgres {
    use super::*;
    use tenant_diesel::postgres::RlsTable;
    use tenant_diesel_tests::postgres::TestDb;

    sql_shape_suite!(diesel::pg::Pg);

    /// The tables behind the wall; `channels` shared, readable by the app.
    fn behind_the_wall(db: &mut TestDb) {
        db.wall_tables(
            SCHEMA,
            &[
                RlsTable::of::<inboxes::table>(),
                RlsTable::of::<teams::table>(),
                RlsTable::of::<slas::table>(),
                RlsTable::of::<conversations::table>(),
                RlsTable::of::<messages::table>(),
            ],
        );
        db.observer
            .batch_execute("GRANT SELECT ON channels TO app_user")
            .unwrap();
    }

    #[test]
    fn joins_of_any_depth_keep_to_the_tenant_behind_the_wall() {
        let mut db = TestDb::new();
        behind_the_wall(&mut db);
        joins_suite!(&mut db);
    }

    #[test]
    fn control_without_the_tenant_terms_a_join_crosses_tenants() {
        let mut db = TestDb::new();
        db.observer.batch_execute(SCHEMA).unwrap();
        control_a_join_on_the_key_alone_crosses_tenants(&mut db.observer);
    }
}

/// MySQL has no wall: the tables are the application's, made by `root` (the
/// application's user only reads and writes rows).
mod mysql {
    use super::*;
    use tenant_diesel_tests::mysql::TestDb;

    sql_shape_suite!(diesel::mysql::Mysql);

    #[test]
    fn joins_of_any_depth_keep_to_the_tenant() {
        let mut db = TestDb::new();
        db.observer.batch_execute(SCHEMA).unwrap();
        joins_suite!(&mut db);
    }

    #[test]
    fn control_without_the_tenant_terms_a_join_crosses_tenants() {
        let mut db = TestDb::new();
        db.observer.batch_execute(SCHEMA).unwrap();
        control_a_join_on_the_key_alone_crosses_tenants(&mut db.app);
    }
}
