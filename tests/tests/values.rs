//! What `#[derive(TenantValues)]` makes a scoped insert or update send.
//!
//! The derive builds the values itself, from the fields it checked, so:
//! - the SQL is what Diesel's own `Insertable` / `AsChangeset` derives send for
//!   the same struct, attribute for attribute (`Option` as DEFAULT or "leave
//!   alone", `treat_none_as_*`, `skip_insertion`, `skip_update`, `serialize_as`,
//!   `embed`, the primary key never set by an update);
//! - a hand-written `Insertable` or `AsChangeset` impl of the struct, which could
//!   name the tenant column or another tenant's data, is never used.
// The local schema's `table!` writes its own SQL text, as `diesel print-schema` does.
#![allow(clippy::disallowed_methods)]

use diesel::query_builder::AsChangeset;
use diesel::sqlite::Sqlite;
use diesel::Insertable;
use tenant_diesel::prelude::*;
use tenant_diesel_tests::sqlite::TestDb;
use tenant_diesel_tests::{accounts, ctx, Account, ACME, CONTOSO};

mod schema {
    diesel::table! {
        profiles (id) {
            id -> BigInt,
            tenant_id -> BigInt,
            nickname -> Nullable<Text>,
            score -> BigInt,
            bio -> Text,
        }
    }
}
use schema::profiles;

#[derive(Debug, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = profiles)]
#[allow(dead_code)]
struct Profile {
    id: i64,
    tenant_id: i64,
    nickname: Option<String>,
    score: i64,
    bio: String,
}

/// The scoped statement and Diesel's, as `debug_query` prints them.
fn same_sql<Q>(scoped: String, diesel_statement: &Q)
where
    Q: diesel::query_builder::QueryFragment<Sqlite>,
{
    assert_eq!(
        scoped,
        diesel::debug_query::<Sqlite, _>(diesel_statement).to_string()
    );
}

/// Every plain field shape: a value, an optional value, a field only inserted.
#[derive(Debug, Clone, Insertable, AsChangeset, TenantValues)]
#[diesel(table_name = profiles)]
struct ProfileFields {
    id: i64,
    nickname: Option<String>,
    score: Option<i64>,
    #[diesel(skip_update)]
    bio: String,
}

fn fields(nickname: Option<&str>, score: Option<i64>) -> ProfileFields {
    ProfileFields {
        id: 7,
        nickname: nickname.map(str::to_owned),
        score,
        bio: "hello".into(),
    }
}

#[test]
fn an_insert_sends_what_diesels_insertable_sends() {
    let ctx = ctx(ACME);
    for row in [fields(Some("ann"), Some(3)), fields(None, None)] {
        same_sql(
            Profile::scoped(&ctx)
                .insert(&row)
                .debug_query::<Sqlite>()
                .to_string(),
            &diesel::insert_into(profiles::table).values((profiles::tenant_id.eq(ACME), &row)),
        );
        same_sql(
            Profile::scoped(&ctx)
                .insert(row.clone())
                .debug_query::<Sqlite>()
                .to_string(),
            &diesel::insert_into(profiles::table)
                .values((profiles::tenant_id.eq(ACME), row.clone())),
        );
    }
}

#[test]
fn an_update_sets_what_diesels_as_changeset_sets() {
    let ctx = ctx(CONTOSO);
    let target = || {
        profiles::table
            .filter(profiles::tenant_id.eq(CONTOSO))
            .filter(profiles::id.eq(7))
    };
    // `id` (the primary key) and `bio` (skip_update) are never set; a `None` is
    // left alone.
    for changes in [fields(Some("ann"), Some(3)), fields(None, Some(3))] {
        let scoped = Profile::scoped(&ctx)
            .update(7)
            .set(&changes)
            .debug_query::<Sqlite>()
            .to_string();
        let set = scoped.split(" WHERE ").next().unwrap();
        assert!(!set.contains("`id`") && !set.contains("`bio`"), "{scoped}");
        same_sql(scoped, &diesel::update(target()).set(&changes));
        same_sql(
            Profile::scoped(&ctx)
                .update(7)
                .set(changes.clone())
                .debug_query::<Sqlite>()
                .to_string(),
            &diesel::update(target()).set(changes.clone()),
        );
    }
}

/// `None` written as NULL, not as the DEFAULT / not left alone.
#[derive(Debug, Insertable, AsChangeset, TenantValues)]
#[diesel(table_name = profiles)]
#[diesel(treat_none_as_default_value = false, treat_none_as_null = true)]
struct NullsAreWritten {
    nickname: Option<String>,
    #[diesel(skip_insertion)]
    score: i64,
}

#[test]
fn treat_none_as_null_and_as_default_value_mean_what_they_mean_in_diesel() {
    let ctx = ctx(ACME);
    let row = NullsAreWritten {
        nickname: None,
        score: 4,
    };
    let insert = Profile::scoped(&ctx)
        .insert(&row)
        .debug_query::<Sqlite>()
        .to_string();
    assert!(
        insert.contains("None") && !insert.contains("`score`"),
        "{insert}"
    );
    same_sql(
        insert,
        &diesel::insert_into(profiles::table).values((profiles::tenant_id.eq(ACME), &row)),
    );
    let update = Profile::scoped(&ctx)
        .update_all()
        .set(&row)
        .debug_query::<Sqlite>()
        .to_string();
    assert!(update.contains("`nickname` = ?"), "{update}");
    same_sql(
        update,
        &diesel::update(profiles::table.filter(profiles::tenant_id.eq(ACME))).set(&row),
    );
}

/// A field converted before it is written.
#[derive(Debug, Clone, Copy)]
struct Points(i64);

impl From<Points> for i64 {
    fn from(points: Points) -> i64 {
        points.0
    }
}

#[derive(Debug, Clone, Insertable, AsChangeset, TenantValues)]
#[diesel(table_name = profiles)]
struct Scored {
    #[diesel(serialize_as = i64)]
    score: Points,
    bio: String,
}

/// Embedded in a larger struct.
#[derive(Debug, Clone, Insertable, AsChangeset, TenantValues)]
#[diesel(table_name = profiles)]
struct Biography {
    bio: String,
    nickname: Option<String>,
}

#[derive(Debug, Clone, Insertable, AsChangeset, TenantValues)]
#[diesel(table_name = profiles)]
struct WithEmbedded {
    id: i64,
    #[diesel(embed)]
    biography: Biography,
}

#[test]
fn serialize_as_and_embed_write_what_diesel_writes() {
    let ctx = ctx(ACME);
    let scored = Scored {
        score: Points(12),
        bio: "b".into(),
    };
    same_sql(
        Profile::scoped(&ctx)
            .insert(scored.clone())
            .debug_query::<Sqlite>()
            .to_string(),
        &diesel::insert_into(profiles::table)
            .values((profiles::tenant_id.eq(ACME), scored.clone())),
    );
    let row = WithEmbedded {
        id: 9,
        biography: Biography {
            bio: "b".into(),
            nickname: None,
        },
    };
    same_sql(
        Profile::scoped(&ctx)
            .insert(row.clone())
            .debug_query::<Sqlite>()
            .to_string(),
        &diesel::insert_into(profiles::table).values((profiles::tenant_id.eq(ACME), row.clone())),
    );
    same_sql(
        Profile::scoped(&ctx)
            .insert(&row)
            .debug_query::<Sqlite>()
            .to_string(),
        &diesel::insert_into(profiles::table).values((profiles::tenant_id.eq(ACME), &row)),
    );
    same_sql(
        Profile::scoped(&ctx)
            .update(9)
            .set(row.clone())
            .debug_query::<Sqlite>()
            .to_string(),
        &diesel::update(
            profiles::table
                .filter(profiles::tenant_id.eq(ACME))
                .filter(profiles::id.eq(9)),
        )
        .set(row),
    );
}

/// Checked values whose Diesel impls are written by hand, to move the row to
/// Contoso: the derive's checks pass (the fields are harmless), and the scope
/// never asks Diesel's impls for the values.
#[derive(Debug, Clone, TenantValues)]
#[diesel(table_name = accounts)]
struct Smuggler {
    id: i64,
    name: String,
    balance: i64,
}

type SmuggledRow = (
    diesel::dsl::Eq<accounts::id, i64>,
    diesel::dsl::Eq<accounts::tenant_id, i64>,
    diesel::dsl::Eq<accounts::name, String>,
    diesel::dsl::Eq<accounts::balance, i64>,
);

impl Insertable<accounts::table> for &Smuggler {
    type Values = <SmuggledRow as Insertable<accounts::table>>::Values;

    fn values(self) -> Self::Values {
        let row: SmuggledRow = (
            accounts::id.eq(self.id),
            accounts::tenant_id.eq(CONTOSO),
            accounts::name.eq(self.name.clone()),
            accounts::balance.eq(self.balance),
        );
        row.values()
    }
}

type SmuggledChanges = (
    diesel::dsl::Eq<accounts::tenant_id, i64>,
    diesel::dsl::Eq<accounts::name, String>,
);

impl AsChangeset for &Smuggler {
    type Target = accounts::table;
    type Changeset = <SmuggledChanges as AsChangeset>::Changeset;

    fn as_changeset(self) -> Self::Changeset {
        (
            accounts::tenant_id.eq(CONTOSO),
            accounts::name.eq(self.name.clone()),
        )
            .as_changeset()
    }
}

fn tenant_of(db: &mut TestDb, id: i64) -> i64 {
    let account: Account = db.all_accounts().into_iter().find(|a| a.id == id).unwrap();
    account.tenant_id
}

#[test]
fn a_hand_written_insertable_impl_is_never_used() {
    let mut db = TestDb::new();
    let ctx = ctx(ACME);
    let row = Smuggler {
        id: 40,
        name: "Hooli".into(),
        balance: 1,
    };
    // The control: Diesel, asked for the hand-written values, files the row
    // under Contoso.
    diesel::RunQueryDsl::execute(
        diesel::insert_into(accounts::table).values(&row),
        &mut db.observer,
    )
    .unwrap();
    assert_eq!(tenant_of(&mut db, 40), CONTOSO, "the control smuggles");

    let row = Smuggler { id: 41, ..row };
    let scoped = Account::scoped(&ctx).insert(&row);
    assert!(
        !scoped
            .debug_query::<Sqlite>()
            .to_string()
            .contains(", `tenant_id`"),
        "the tenant column is written once, by the scope"
    );
    let mut conn = TenantConn::new(&mut db.app, &ctx);
    assert_eq!(scoped.execute(&mut conn), Ok(1));
    assert_eq!(tenant_of(&mut db, 41), ACME);
}

#[test]
fn a_hand_written_as_changeset_impl_is_never_used() {
    let mut db = TestDb::new();
    let ctx = ctx(ACME);
    let changes = Smuggler {
        id: 1,
        name: "Renamed".into(),
        balance: 5,
    };
    let mut conn = TenantConn::new(&mut db.app, &ctx);
    assert_eq!(
        Account::scoped(&ctx)
            .update(1)
            .set(&changes)
            .execute(&mut conn),
        Ok(1)
    );
    let account = db.all_accounts().into_iter().find(|a| a.id == 1).unwrap();
    assert_eq!(
        (account.tenant_id, account.name.as_str(), account.balance),
        (ACME, "Renamed", 5),
        "the checked fields are set, the hand-written tenant change is not"
    );

    // The control: Diesel, asked for the hand-written changeset, moves the row.
    diesel::RunQueryDsl::execute(
        diesel::update(accounts::table.filter(accounts::id.eq(1))).set(&changes),
        &mut db.observer,
    )
    .unwrap();
    assert_eq!(tenant_of(&mut db, 1), CONTOSO, "the control smuggles");
}
