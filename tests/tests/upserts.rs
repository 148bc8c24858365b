//! Upserts from a tenant's scope, on SQLite and behind PostgreSQL's row-level
//! security: two tenants whose members share ids and names ("Main", id 1), and
//! a unique `email` index every tenant shares, the key through which an
//! insert can meet another tenant's row. The upsert inserts when the row is
//! absent, does nothing or updates when the tenant's own row is in conflict,
//! and neither changes nor returns another tenant's row, each beside a control
//! that shows what the tenant filter of the `DO UPDATE` stops.
//!
//! The tables are made here with raw SQL on purpose.
#![allow(clippy::disallowed_methods)]

use diesel::connection::SimpleConnection;
use diesel::result::Error as DieselError;
use tenant_diesel::prelude::*;
use tenant_diesel_tests::{ctx, ACME, CONTOSO};

#[allow(clippy::disallowed_methods)]
mod schema {
    diesel::table! {
        members (tenant_id, id) {
            tenant_id -> BigInt,
            id -> BigInt,
            email -> Text,
            name -> Text,
        }
    }
}

use schema::members;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = members)]
struct Member {
    tenant_id: i64,
    id: i64,
    email: String,
    name: String,
}

#[derive(Insertable, TenantValues)]
#[diesel(table_name = members)]
struct NewMember<'a> {
    id: i64,
    email: &'a str,
    name: &'a str,
}

#[derive(AsChangeset, TenantValues)]
#[diesel(table_name = members)]
struct Rename<'a> {
    name: &'a str,
}

/// Changes that may have nothing to set.
#[derive(AsChangeset, TenantValues)]
#[diesel(table_name = members)]
struct MaybeRename<'a> {
    name: Option<&'a str>,
}

/// Both tenants have member 1, "Main"; the email index is every tenant's.
const MEMBERS: &str = "
    CREATE TABLE members (
        tenant_id BIGINT NOT NULL,
        id BIGINT NOT NULL,
        email TEXT NOT NULL,
        name TEXT NOT NULL,
        PRIMARY KEY (tenant_id, id)
    );
    CREATE UNIQUE INDEX members_email ON members (email);
    INSERT INTO members VALUES
        (1, 1, 'main@acme.test', 'Main'),
        (2, 1, 'main@contoso.test', 'Main');
";

/// The suite on a `TestDb` (either backend's): Acme's upserts reach Acme's
/// rows only. A macro: the same statements on each backend's connection.
macro_rules! upsert_suite {
    ($db:expr) => {{
        let db = $db;
        let acme = ctx(ACME);
        let mut conn = TenantConn::with_setting(&mut db.app, &acme, db.setting.clone());
        let own_key = (members::tenant_id, members::id);

        // Absent: inserted, the tenant stamped from the context.
        let added: Member = Member::scoped(&acme)
            .insert(&NewMember {
                id: 2,
                email: "second@acme.test",
                name: "Second",
            })
            .on_conflict(own_key)
            .do_update()
            .set(&Rename { name: "unused" })
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(added, member(ACME, 2, "second@acme.test", "Second"));

        // The tenant's own row in conflict, `DO NOTHING`: nothing inserted,
        // nothing changed.
        let ignored = Member::scoped(&acme)
            .insert(&NewMember {
                id: 1,
                email: "other@acme.test",
                name: "Ignored",
            })
            .on_conflict(own_key)
            .do_nothing()
            .execute(&mut conn)
            .unwrap();
        assert_eq!(ignored, 0);

        // The tenant's own row in conflict, `DO UPDATE`: updated and returned.
        // Contoso's member 1 has the same id and name.
        let renamed: Member = Member::scoped(&acme)
            .insert(&NewMember {
                id: 1,
                email: "main@acme.test",
                name: "unused",
            })
            .on_conflict(own_key)
            .do_update()
            .set(&Rename {
                name: "Main (Acme)",
            })
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(renamed, member(ACME, 1, "main@acme.test", "Main (Acme)"));

        // `set_excluded`: the values the insert proposed.
        let replaced: Member = Member::scoped(&acme)
            .insert(&NewMember {
                id: 2,
                email: "two@acme.test",
                name: "Second (v2)",
            })
            .on_conflict(own_key)
            .do_update()
            .set_excluded((members::email, members::name))
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(replaced, member(ACME, 2, "two@acme.test", "Second (v2)"));

        // Another tenant's row in conflict, on the email index every tenant
        // shares: not changed, not returned, nothing inserted.
        let theirs = || NewMember {
            id: 3,
            email: "main@contoso.test",
            name: "Mine now",
        };
        let changed = Member::scoped(&acme)
            .insert(&theirs())
            .on_conflict(members::email)
            .do_update()
            .set(&Rename { name: "Mine now" })
            .execute(&mut conn);
        assert_eq!(changed, Ok(0));
        let returned = Member::scoped(&acme)
            .insert(&theirs())
            .on_conflict(members::email)
            .do_update()
            .set(&Rename { name: "Mine now" })
            .get_result::<Member>(&mut conn);
        assert_eq!(returned, Err(DieselError::NotFound));
        let proposed: Vec<Member> = Member::scoped(&acme)
            .insert(&theirs())
            .on_conflict(members::email)
            .do_update()
            .set_excluded((members::id, members::name))
            .load(&mut conn)
            .unwrap();
        assert_eq!(proposed, []);
        let kept = Member::scoped(&acme)
            .insert(&theirs())
            .on_conflict(members::email)
            .do_nothing()
            .get_result::<Member>(&mut conn);
        assert_eq!(kept, Err(DieselError::NotFound));
        let any_key = Member::scoped(&acme)
            .insert(&theirs())
            .on_conflict_do_nothing()
            .execute(&mut conn);
        assert_eq!(any_key, Ok(0));
        drop(conn);

        assert_eq!(
            every_member(&mut db.observer),
            [
                member(ACME, 1, "main@acme.test", "Main (Acme)"),
                member(ACME, 2, "two@acme.test", "Second (v2)"),
                member(CONTOSO, 1, "main@contoso.test", "Main"),
            ]
        );
    }};
}

fn member(tenant_id: i64, id: i64, email: &str, name: &str) -> Member {
    Member {
        tenant_id,
        id,
        email: email.to_owned(),
        name: name.to_owned(),
    }
}

/// Every member of every tenant, read around the wall.
fn every_member<C>(observer: &mut C) -> Vec<Member>
where
    C: diesel::Connection,
    for<'a> diesel::dsl::Order<
        diesel::dsl::Select<members::table, diesel::dsl::AsSelect<Member, C::Backend>>,
        (members::tenant_id, members::id),
    >: diesel::query_dsl::LoadQuery<'a, C, Member>,
{
    diesel::RunQueryDsl::load(
        members::table
            .select(Member::as_select())
            .order((members::tenant_id, members::id)),
        observer,
    )
    .unwrap()
}

mod sqlite {
    use super::*;
    use diesel::query_dsl::methods::FilterDsl;
    use diesel::sqlite::Sqlite;
    use tenant_diesel_tests::sqlite::TestDb;

    fn members_table() -> TestDb {
        let mut db = TestDb::new();
        db.app.batch_execute(MEMBERS).unwrap();
        db
    }

    #[test]
    fn an_upsert_inserts_does_nothing_or_updates_the_tenants_own_row_only() {
        upsert_suite!(&mut members_table());
    }

    #[test]
    fn control_the_hand_written_upsert_without_the_tenant_filter_renames_another_tenants_row() {
        let mut db = members_table();
        let proposed = NewMember {
            id: 3,
            email: "main@contoso.test",
            name: "Hijacked",
        };
        let changed = diesel::RunQueryDsl::execute(
            diesel::insert_into(members::table)
                .values((members::tenant_id.eq(ACME), &proposed))
                .on_conflict(members::email)
                .do_update()
                .set(&Rename { name: "Hijacked" }),
            &mut db.app,
        );
        assert_eq!(changed, Ok(1));
        assert_eq!(
            every_member(&mut db.observer)[1],
            member(CONTOSO, 1, "main@contoso.test", "Hijacked")
        );
    }

    #[test]
    fn the_scoped_upsert_is_the_hand_written_one_with_the_tenant_filter() {
        let acme = ctx(ACME);
        let row = NewMember {
            id: 1,
            email: "main@acme.test",
            name: "Main",
        };
        let scoped = Member::scoped(&acme)
            .insert(&row)
            .on_conflict((members::tenant_id, members::id))
            .do_update()
            .set(&Rename { name: "Renamed" })
            .debug_query::<Sqlite>()
            .to_string();
        let hand_written = FilterDsl::filter(
            diesel::insert_into(members::table)
                .values((members::tenant_id.eq(ACME), &row))
                .on_conflict((members::tenant_id, members::id))
                .do_update()
                .set(&Rename { name: "Renamed" }),
            members::tenant_id.eq(ACME),
        );
        assert_eq!(
            scoped,
            diesel::debug_query::<Sqlite, _>(&hand_written).to_string()
        );
        assert_eq!(
            scoped,
            "INSERT INTO `members` (`tenant_id`, `id`, `email`, `name`) VALUES (?, ?, ?, ?) \
             ON CONFLICT (`tenant_id`, `id`) DO UPDATE SET `name` = ? \
             WHERE (`members`.`tenant_id` = ?) \
             -- binds: [1, 1, \"main@acme.test\", \"Main\", \"Renamed\", 1]"
        );
    }

    /// Changes with nothing to set make Diesel's `DO UPDATE` a `DO NOTHING`;
    /// Diesel then writes its `WHERE` after it, which no database parses. The
    /// scoped upsert leaves the filter out there: a `DO NOTHING` changes no row.
    #[test]
    fn changes_with_nothing_to_set_are_do_nothing_without_a_filter() {
        let mut db = members_table();
        let acme = ctx(ACME);
        let row = NewMember {
            id: 1,
            email: "main@acme.test",
            name: "Main",
        };
        let nothing = MaybeRename { name: None };
        let upsert = || {
            Member::scoped(&acme)
                .insert(&row)
                .on_conflict((members::tenant_id, members::id))
                .do_update()
                .set(&nothing)
        };
        let sql = upsert().debug_query::<Sqlite>().to_string();
        assert!(
            sql.starts_with(
                "INSERT INTO `members` (`tenant_id`, `id`, `email`, `name`) VALUES (?, ?, ?, ?) \
                 ON CONFLICT (`tenant_id`, `id`) DO NOTHING -- binds"
            ),
            "{sql}"
        );
        let mut conn = TenantConn::new(&mut db.app, &acme);
        assert_eq!(upsert().execute(&mut conn), Ok(0));
        drop(conn);

        // Control: Diesel's own statement, with the filter.
        let hand_written = FilterDsl::filter(
            diesel::insert_into(members::table)
                .values((members::tenant_id.eq(ACME), &row))
                .on_conflict((members::tenant_id, members::id))
                .do_update()
                .set(&nothing),
            members::tenant_id.eq(ACME),
        );
        let sql = diesel::debug_query::<Sqlite, _>(&hand_written).to_string();
        assert!(sql.contains("DO NOTHING WHERE"), "{sql}");
        assert!(diesel::RunQueryDsl::execute(hand_written, &mut db.app).is_err());
    }

    #[test]
    fn do_nothing_and_set_excluded_are_the_hand_written_clauses() {
        let acme = ctx(ACME);
        let row = NewMember {
            id: 1,
            email: "main@acme.test",
            name: "Main",
        };
        let stamped = (members::tenant_id.eq(ACME), &row);
        let same = |scoped: String, hand_written: String| assert_eq!(scoped, hand_written);
        same(
            Member::scoped(&acme)
                .insert(&row)
                .on_conflict(members::email)
                .do_nothing()
                .debug_query::<Sqlite>()
                .to_string(),
            diesel::debug_query::<Sqlite, _>(
                &diesel::insert_into(members::table)
                    .values(stamped)
                    .on_conflict(members::email)
                    .do_nothing(),
            )
            .to_string(),
        );
        same(
            Member::scoped(&acme)
                .insert(&row)
                .on_conflict_do_nothing()
                .debug_query::<Sqlite>()
                .to_string(),
            diesel::debug_query::<Sqlite, _>(
                &diesel::insert_into(members::table)
                    .values(stamped)
                    .on_conflict_do_nothing(),
            )
            .to_string(),
        );
        same(
            Member::scoped(&acme)
                .insert(&row)
                .on_conflict(members::email)
                .do_update()
                .set_excluded((members::id, members::name))
                .debug_query::<Sqlite>()
                .to_string(),
            diesel::debug_query::<Sqlite, _>(&FilterDsl::filter(
                diesel::insert_into(members::table)
                    .values(stamped)
                    .on_conflict(members::email)
                    .do_update()
                    .set((
                        members::id.eq(diesel::upsert::excluded(members::id)),
                        members::name.eq(diesel::upsert::excluded(members::name)),
                    )),
                members::tenant_id.eq(ACME),
            ))
            .to_string(),
        );
        // A plain insert is still Diesel's.
        same(
            Member::scoped(&acme)
                .insert(&row)
                .debug_query::<Sqlite>()
                .to_string(),
            diesel::debug_query::<Sqlite, _>(&diesel::insert_into(members::table).values(stamped))
                .to_string(),
        );
    }
}

mod postgres {
    use super::*;
    use diesel::pg::Pg;
    use diesel::query_dsl::methods::FilterDsl;
    use tenant_diesel::postgres::RlsTable;
    use tenant_diesel_tests::postgres::TestDb;

    fn members_behind_the_wall() -> TestDb {
        let mut db = TestDb::new();
        db.wall_tables(MEMBERS, &[RlsTable::of::<members::table>()]);
        db
    }

    #[test]
    fn an_upsert_inserts_does_nothing_or_updates_the_tenants_own_row_only_behind_the_wall() {
        upsert_suite!(&mut members_behind_the_wall());
    }

    /// What row-level security does with an upsert whose conflicting row is
    /// another tenant's, sent as raw SQL by the application's role: without the
    /// tenant filter, the wall refuses the statement (the row in conflict fails
    /// the update's policy); with it, the filter is evaluated first and the
    /// statement does nothing.
    #[test]
    fn behind_the_wall_the_tenant_filter_comes_before_the_policys_conflict_check() {
        let mut db = members_behind_the_wall();
        let upsert = "INSERT INTO members VALUES (1, 3, 'main@contoso.test', 'Hijacked') \
                      ON CONFLICT (email) DO UPDATE SET name = excluded.name";
        let unfiltered = db.raw_as(TenantId::new(ACME), upsert);
        assert_eq!(
            unfiltered,
            Err(
                "new row violates row-level security policy (USING expression) for table \"members\""
                    .to_owned()
            )
        );
        let filtered = db.raw_as(
            TenantId::new(ACME),
            &format!("{upsert} WHERE members.tenant_id = {ACME}"),
        );
        assert_eq!(filtered, Ok(0));
        let nothing = db.raw_as(
            TenantId::new(ACME),
            "INSERT INTO members VALUES (1, 3, 'main@contoso.test', 'Hijacked') \
             ON CONFLICT (email) DO NOTHING",
        );
        assert_eq!(nothing, Ok(0));
        assert_eq!(
            every_member(&mut db.observer)[1],
            member(CONTOSO, 1, "main@contoso.test", "Main")
        );
    }

    #[test]
    fn the_scoped_upsert_is_the_hand_written_one_with_the_tenant_filter() {
        let contoso = ctx(CONTOSO);
        let row = NewMember {
            id: 1,
            email: "main@contoso.test",
            name: "Main",
        };
        let scoped = Member::scoped(&contoso)
            .insert(&row)
            .on_conflict(members::email)
            .do_update()
            .set(&Rename { name: "Renamed" })
            .debug_query::<Pg>()
            .to_string();
        let hand_written = FilterDsl::filter(
            diesel::insert_into(members::table)
                .values((members::tenant_id.eq(CONTOSO), &row))
                .on_conflict(members::email)
                .do_update()
                .set(&Rename { name: "Renamed" }),
            members::tenant_id.eq(CONTOSO),
        );
        assert_eq!(
            scoped,
            diesel::debug_query::<Pg, _>(&hand_written).to_string()
        );
        assert_eq!(
            scoped,
            "INSERT INTO \"members\" (\"tenant_id\", \"id\", \"email\", \"name\") VALUES ($1, $2, $3, $4) \
             ON CONFLICT (\"email\") DO UPDATE SET \"name\" = $5 \
             WHERE (\"members\".\"tenant_id\" = $6) \
             -- binds: [2, 1, \"main@contoso.test\", \"Main\", \"Renamed\", 2]"
        );
    }
}
