//! The tenant table itself: a table whose primary key is the tenant id
//! (`organizations.id`), declared with `#[tenant(column = id)]`. A tenant reads
//! and changes its own row, never another's, on SQLite, on MariaDB and behind PostgreSQL's
//! row-level security; each test beside a control with the scope removed.
//!
//! The tables are made here with raw SQL on purpose.
#![allow(clippy::disallowed_methods)]

use diesel::connection::SimpleConnection;
use tenant_diesel::prelude::*;
use tenant_diesel_tests::{ctx, ACME};

diesel::table! {
    organizations (id) {
        id -> BigInt,
        name -> Text,
    }
}

#[derive(Debug, PartialEq, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = organizations)]
#[tenant(column = id)]
struct Organization {
    id: i64,
    name: String,
}

const CREATE: &str = "CREATE TABLE organizations (id BIGINT PRIMARY KEY, name TEXT NOT NULL); \
                      INSERT INTO organizations VALUES (1, 'Acme'), (2, 'Contoso');";

/// Acme reads its own row and renames it, through a `TenantConn` over the
/// `TestDb` given: one row changes, and the owner reads Contoso's as it was. A
/// macro: the same statements on each backend's connection.
macro_rules! a_tenant_sees_and_changes_only_its_own_row {
    ($db:expr) => {{
        let db = $db;
        let acme = ctx(ACME);
        let mut conn = TenantConn::with_setting(&mut db.app, &acme, db.setting.clone());
        let rows: Vec<Organization> = Organization::scoped(&acme).load(&mut conn).unwrap();
        assert_eq!(
            rows,
            [Organization {
                id: ACME,
                name: "Acme".into()
            }]
        );
        let renamed = Organization::scoped(&acme)
            .update_all()
            .set_column(organizations::name, "Acme Corp")
            .execute(&mut conn)
            .unwrap();
        assert_eq!(renamed, 1);
        let count: i64 = Organization::scoped(&acme)
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(count, 1);
        drop(conn);
        let names: Vec<String> = diesel::RunQueryDsl::load(
            organizations::table
                .order(organizations::id)
                .select(organizations::name),
            &mut db.observer,
        )
        .unwrap();
        assert_eq!(names, ["Acme Corp", "Contoso"]);
    }};
}

mod sqlite {
    use super::*;
    use tenant_diesel_tests::sqlite::TestDb;

    #[test]
    fn the_tenant_table_scopes_to_the_tenants_own_row() {
        let mut db = TestDb::new();
        db.app.batch_execute(CREATE).unwrap();
        a_tenant_sees_and_changes_only_its_own_row!(&mut db);
    }

    #[test]
    fn control_without_the_scope_the_rename_reaches_every_tenant() {
        let mut db = TestDb::new();
        db.app.batch_execute(CREATE).unwrap();
        let changed = diesel::RunQueryDsl::execute(
            diesel::update(organizations::table).set(organizations::name.eq("renamed")),
            &mut db.app,
        )
        .unwrap();
        assert_eq!(changed, 2);
    }
}

mod postgres {
    use super::*;
    use tenant_diesel::postgres::RlsTable;
    use tenant_diesel_tests::postgres::TestDb;

    /// The table, behind row-level security on its `id`, granted to the app.
    fn organizations_behind_the_wall(db: &mut TestDb) {
        let table = RlsTable::of::<organizations::table>();
        assert_eq!(
            (table.table(), table.tenant_column()),
            ("organizations", "id")
        );
        db.wall_tables(CREATE, &[table]);
    }

    #[test]
    fn the_tenant_table_scopes_to_the_tenants_own_row_behind_the_wall() {
        let mut db = TestDb::new();
        organizations_behind_the_wall(&mut db);
        a_tenant_sees_and_changes_only_its_own_row!(&mut db);
    }

    #[test]
    fn control_the_wall_alone_stops_an_unscoped_rename_of_another_tenant() {
        // Raw SQL as the app role, inside Acme's signed unit of work: the
        // policy on `id` lets it change Acme's row only.
        let mut db = TestDb::new();
        organizations_behind_the_wall(&mut db);
        let changed = db
            .raw_as(
                TenantId::new(ACME),
                "UPDATE organizations SET name = 'renamed'",
            )
            .unwrap();
        assert_eq!(changed, 1);
        // Control of the control: as the owner, without the wall, both rows.
        let all = diesel::RunQueryDsl::execute(
            diesel::update(organizations::table).set(organizations::name.eq("renamed")),
            &mut db.observer,
        )
        .unwrap();
        assert_eq!(all, 2);
    }
}

/// MySQL: no wall, the scope alone, on a table `root` made.
mod mysql {
    use super::*;
    use tenant_diesel_tests::mysql::TestDb;

    #[test]
    fn the_tenant_table_scopes_to_the_tenants_own_row() {
        let mut db = TestDb::new();
        db.observer.batch_execute(CREATE).unwrap();
        a_tenant_sees_and_changes_only_its_own_row!(&mut db);
    }

    #[test]
    fn control_without_the_scope_the_rename_reaches_every_tenant() {
        let mut db = TestDb::new();
        db.observer.batch_execute(CREATE).unwrap();
        let changed = diesel::RunQueryDsl::execute(
            diesel::update(organizations::table).set(organizations::name.eq("renamed")),
            &mut db.app,
        )
        .unwrap();
        assert_eq!(changed, 2);
    }
}
