//! The SQL-shape claim on PostgreSQL, for what SQLite cannot show: a batch insert
//! is one statement here, and it must be the hand-written one, every row stamped.

use diesel::pg::Pg;
use tenant_diesel::prelude::*;
use tenant_diesel_tests::*;

#[test]
fn a_batch_insert_is_the_hand_written_statement_with_every_row_stamped() {
    let ctx = ctx(CONTOSO);
    let rows = [
        NewAccount {
            id: 9,
            name: "Hooli".into(),
            balance: 5,
        },
        NewAccount {
            id: 10,
            name: "Pied Piper".into(),
            balance: 6,
        },
    ];
    let scoped = Account::scoped(&ctx)
        .insert_all(&rows)
        .debug_query::<Pg>()
        .to_string();
    let stamped: Vec<_> = rows
        .iter()
        .map(|row| (accounts::tenant_id.eq(CONTOSO), row))
        .collect();
    let hand_written = diesel::insert_into(accounts::table).values(stamped);
    assert_eq!(
        scoped,
        diesel::debug_query::<Pg, _>(&hand_written).to_string()
    );
    assert!(
        scoped.starts_with(
            "INSERT INTO \"accounts\" (\"tenant_id\", \"id\", \"name\", \"balance\") VALUES ($1, $2, $3, $4), ($5, $6, $7, $8)"
        ),
        "{scoped}"
    );
    assert!(
        scoped.ends_with("binds: [2, 9, \"Hooli\", 5, 2, 10, \"Pied Piper\", 6]"),
        "{scoped}"
    );
}

#[test]
fn a_scoped_read_binds_the_tenant_as_a_parameter() {
    let ctx = ctx(ACME);
    let scoped = Account::scoped(&ctx)
        .find(3)
        .debug_query::<Pg>()
        .to_string();
    let hand_written = accounts::table
        .filter(accounts::tenant_id.eq(ACME))
        .filter(accounts::id.eq(3));
    assert_eq!(
        scoped,
        diesel::debug_query::<Pg, _>(&hand_written).to_string()
    );
    assert!(
        scoped.contains("WHERE ((\"accounts\".\"tenant_id\" = $1) AND (\"accounts\".\"id\" = $2))"),
        "{scoped}"
    );
}
