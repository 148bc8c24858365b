//! Rows every tenant shares: a nullable tenant column whose `NULL` rows are the
//! installation's (default labels), declared with `#[tenant(shared_rows)]`.
//! Each tenant reads its own labels and the shared ones; no tenant write
//! creates, changes or deletes a shared row, on SQLite, on MariaDB and behind PostgreSQL's
//! row-level security; each defence beside a control that shows what it stops.
//!
//! The tables are made here with raw SQL on purpose.
#![allow(clippy::disallowed_methods)]

use diesel::connection::SimpleConnection;
use tenant_diesel::prelude::*;
use tenant_diesel_tests::{ctx, ACME, CONTOSO};

#[allow(clippy::disallowed_methods)]
mod schema {
    diesel::table! {
        labels (id) {
            id -> BigInt,
            account_id -> Nullable<BigInt>,
            name -> Text,
        }
    }
}

use schema::labels;

#[derive(Debug, PartialEq, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = labels)]
#[tenant(column = account_id, shared_rows)]
struct Label {
    id: i64,
    account_id: Option<i64>,
    name: String,
}

#[derive(TenantValues)]
#[diesel(table_name = labels)]
struct NewLabel<'a> {
    id: i64,
    name: &'a str,
}

/// Two shared labels, one of Acme's and one of Contoso's with the same name.
const LABELS: &str = "
    CREATE TABLE labels (id BIGINT PRIMARY KEY, account_id BIGINT, name TEXT NOT NULL);
    CREATE INDEX labels_account ON labels (account_id);
    INSERT INTO labels VALUES (1, NULL, 'Urgent'), (2, NULL, 'Spam'),
                              (3, 1, 'Acme VIP'), (4, 2, 'Acme VIP');
";

/// The same on PostgreSQL, whose wall wants every unique key to lead with the
/// tenant column (else an insert tells whether another tenant holds an id): a
/// nullable column cannot be in a primary key, so the key is a unique index in
/// which the shared rows' `NULL`s are not distinct (PostgreSQL 15).
const PG_LABELS: &str = "
    CREATE TABLE labels (id BIGINT NOT NULL, account_id BIGINT, name TEXT NOT NULL);
    CREATE UNIQUE INDEX labels_key ON labels (account_id, id) NULLS NOT DISTINCT;
    INSERT INTO labels VALUES (1, NULL, 'Urgent'), (2, NULL, 'Spam'),
                              (3, 1, 'Acme VIP'), (4, 2, 'Acme VIP');
";

/// The suite on a `TestDb`: Acme reads its label and the shared ones, and its
/// writes reach its own label only. A macro: the same statements on each
/// backend's connection.
macro_rules! shared_rows_suite {
    ($db:expr) => {{
        let db = $db;
        let acme = ctx(ACME);
        let mut conn = TenantConn::with_setting(&mut db.app, &acme, db.setting.clone());

        let seen: Vec<Label> = Label::scoped_with_shared_rows(&acme)
            .order(labels::id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(
            seen.iter()
                .map(|l| (l.id, l.account_id))
                .collect::<Vec<_>>(),
            [(1, None), (2, None), (3, Some(ACME))]
        );
        // The tenant's own scope: its rows only, as for any tenant table.
        let own: Vec<Label> = Label::scoped(&acme).load(&mut conn).unwrap();
        assert_eq!(own.iter().map(|l| l.id).collect::<Vec<_>>(), [3]);
        // A shared row found by id through the shared scope, not through the own.
        let found: Option<Label> = Label::scoped_with_shared_rows(&acme)
            .find(1)
            .first(&mut conn)
            .optional()
            .unwrap();
        assert_eq!(found.map(|l| l.name), Some("Urgent".to_owned()));

        // Writes start from the own scope: a shared id matches nothing.
        let renamed = Label::scoped(&acme)
            .update(1)
            .set_column(labels::name, "Mine now")
            .execute(&mut conn)
            .unwrap();
        assert_eq!(renamed, 0);
        let renamed_all = Label::scoped(&acme)
            .update_all()
            .set_column(labels::name, "Renamed")
            .execute(&mut conn)
            .unwrap();
        assert_eq!(renamed_all, 1);
        let deleted = Label::scoped(&acme).delete(2).execute(&mut conn).unwrap();
        assert_eq!(deleted, 0);
        let inserted = Label::scoped(&acme)
            .insert(&NewLabel { id: 5, name: "New" })
            .execute(&mut conn)
            .unwrap();
        assert_eq!(inserted, 1);
        drop(conn);

        let all: Vec<(i64, Option<i64>, String)> =
            diesel::RunQueryDsl::load(labels::table.order(labels::id), &mut db.observer).unwrap();
        assert_eq!(
            all,
            [
                (1, None, "Urgent".to_owned()),
                (2, None, "Spam".to_owned()),
                (3, Some(ACME), "Renamed".to_owned()),
                (4, Some(CONTOSO), "Acme VIP".to_owned()),
                (5, Some(ACME), "New".to_owned()),
            ]
        );
    }};
}

/// The control: a scope whose filter lets the shared rows through, used for a
/// write, reaches every shared row. This is the `UPDATE` the read-only shared
/// scope has no method for.
fn control_an_update_through_the_shared_filter_rewrites_shared_rows<C>(conn: &mut C)
where
    C: diesel::Connection,
    for<'a> diesel::dsl::Update<
        diesel::dsl::Filter<
            labels::table,
            diesel::dsl::Or<
                diesel::dsl::Eq<labels::account_id, i64>,
                diesel::dsl::IsNull<labels::account_id>,
            >,
        >,
        diesel::dsl::Eq<labels::name, &'static str>,
    >: diesel::query_dsl::methods::ExecuteDsl<C>,
{
    let changed = diesel::RunQueryDsl::execute(
        diesel::update(
            labels::table.filter(labels::account_id.eq(ACME).or(labels::account_id.is_null())),
        )
        .set(labels::name.eq("Hijacked")),
        conn,
    )
    .unwrap();
    assert_eq!(changed, 3, "Acme's label and both shared ones");
}

mod sqlite {
    use super::*;
    use tenant_diesel_tests::sqlite::TestDb;

    #[test]
    fn a_tenant_reads_the_shared_rows_and_writes_only_its_own() {
        let mut db = TestDb::new();
        db.app.batch_execute(LABELS).unwrap();
        shared_rows_suite!(&mut db);
    }

    #[test]
    fn the_shared_scope_is_the_hand_written_or_is_null_and_the_own_scope_is_not() {
        let acme = ctx(ACME);
        let shared = Label::scoped_with_shared_rows(&acme)
            .debug_query::<diesel::sqlite::Sqlite>()
            .to_string();
        assert!(
            shared
                .contains("WHERE ((`labels`.`account_id` = ?) OR (`labels`.`account_id` IS NULL))"),
            "{shared}"
        );
        let own = Label::scoped(&acme)
            .debug_query::<diesel::sqlite::Sqlite>()
            .to_string();
        assert!(
            own.contains("WHERE (`labels`.`account_id` = ?)") && !own.contains("IS NULL"),
            "{own}"
        );
    }

    #[test]
    fn control_a_write_through_the_shared_filter_reaches_the_shared_rows() {
        let mut db = TestDb::new();
        db.app.batch_execute(LABELS).unwrap();
        control_an_update_through_the_shared_filter_rewrites_shared_rows(&mut db.app);
    }
}

mod postgres {
    use super::*;
    use tenant_diesel::postgres::{verify_isolation, RlsTable};
    use tenant_diesel_tests::postgres::{rls_migrations, TestDb};

    fn labels_behind_the_wall(db: &mut TestDb) -> RlsTable {
        let table = RlsTable::of::<labels::table>();
        assert!(table.has_shared_rows());
        db.wall_tables(PG_LABELS, std::slice::from_ref(&table));
        table
    }

    /// Raw SQL as the app role inside Acme's signed unit of work.
    fn as_acme(db: &mut TestDb, sql: &str) -> Result<usize, String> {
        db.raw_as(TenantId::new(ACME), sql)
    }

    #[test]
    fn a_tenant_reads_the_shared_rows_and_writes_only_its_own_behind_the_wall() {
        let mut db = TestDb::new();
        labels_behind_the_wall(&mut db);
        shared_rows_suite!(&mut db);
    }

    #[test]
    fn the_wall_shows_shared_rows_to_select_only() {
        let mut db = TestDb::new();
        labels_behind_the_wall(&mut db);
        // Raw SQL, which the types never see: reads see the shared rows...
        assert_eq!(as_acme(&mut db, "SELECT * FROM labels"), Ok(3));
        // ... but no write reaches them, nor makes one.
        assert_eq!(
            as_acme(&mut db, "UPDATE labels SET name = 'Hijacked'"),
            Ok(1)
        );
        assert_eq!(
            as_acme(&mut db, "DELETE FROM labels WHERE account_id IS NULL"),
            Ok(0)
        );
        let insert = as_acme(&mut db, "INSERT INTO labels VALUES (9, NULL, 'Planted')");
        assert!(insert.unwrap_err().contains("row-level security"));
        let unshare = as_acme(&mut db, "UPDATE labels SET account_id = NULL WHERE id = 3");
        assert!(unshare.unwrap_err().contains("row-level security"));
        let shared: i64 = diesel::RunQueryDsl::get_result(
            labels::table
                .filter(labels::account_id.is_null())
                .filter(labels::name.eq_any(["Urgent", "Spam"]))
                .count(),
            &mut db.observer,
        )
        .unwrap();
        assert_eq!(shared, 2, "the shared rows are as they were");
    }

    #[test]
    fn control_one_policy_for_every_command_lets_writes_reach_the_shared_rows() {
        let mut db = TestDb::new();
        labels_behind_the_wall(&mut db);
        // The shortcut a hand-written migration takes: one policy, `OR IS NULL`.
        db.observer
            .batch_execute(
                "DROP POLICY labels_shared_rows ON labels;
                 ALTER POLICY labels_tenant_isolation ON labels
                     USING (account_id = (SELECT tenant_wall.current_tenant()) OR account_id IS NULL)
                     WITH CHECK (account_id = (SELECT tenant_wall.current_tenant()) OR account_id IS NULL);",
            )
            .unwrap();
        assert_eq!(
            as_acme(&mut db, "UPDATE labels SET name = 'Hijacked'"),
            Ok(3)
        );
        assert_eq!(
            as_acme(&mut db, "INSERT INTO labels VALUES (9, NULL, 'Planted')"),
            Ok(1)
        );
    }

    #[test]
    fn verify_isolation_accepts_the_shared_rows_policy_only_as_generated() {
        let mut db = TestDb::new();
        let table = labels_behind_the_wall(&mut db);
        let rls = rls_migrations().table(table);
        assert_eq!(
            verify_isolation(&mut db.app, &rls)
                .err()
                .map(|e| e.to_string()),
            None
        );
        // Control: the same policy on a table not declared shared is one more
        // permissive policy.
        let undeclared = rls_migrations().table(RlsTable::named("labels", "account_id"));
        let found = verify_isolation(&mut db.app, &undeclared)
            .unwrap_err()
            .to_string();
        assert!(found.contains("labels_shared_rows"), "{found}");
        // A shared-rows policy for every command would let writes reach the
        // shared rows: not the generated one.
        db.observer
            .batch_execute(
                "DROP POLICY labels_shared_rows ON labels;
                 CREATE POLICY labels_shared_rows ON labels USING (account_id IS NULL);",
            )
            .unwrap();
        let found = verify_isolation(&mut db.app, &rls).unwrap_err().to_string();
        assert!(found.contains("labels_shared_rows"), "{found}");
    }
}

/// MySQL has no wall: the library's scopes alone, on tables `root` made.
mod mysql {
    use super::*;
    use tenant_diesel_tests::mysql::TestDb;

    #[test]
    fn a_tenant_reads_the_shared_rows_and_writes_only_its_own() {
        let mut db = TestDb::new();
        db.observer.batch_execute(LABELS).unwrap();
        shared_rows_suite!(&mut db);
    }

    #[test]
    fn control_a_write_through_the_shared_filter_reaches_the_shared_rows() {
        let mut db = TestDb::new();
        db.observer.batch_execute(LABELS).unwrap();
        control_an_update_through_the_shared_filter_rewrites_shared_rows(&mut db.app);
    }
}
