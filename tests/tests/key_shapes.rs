//! Both key styles, statement by statement, on PostgreSQL's SQL (what a
//! distributed database such as Citus routes): `accounts (id)` and
//! `notes (tenant_id, id)` / `comments (tenant_id, id)`, the second being what
//! `diesel print-schema` writes for a key that leads with the tenant.
//!
//! Each scoped statement equals the hand-written one, and each satisfies the
//! routing rule: every tenant table in the statement carries `tenant_id = $n`,
//! bound to the context's tenant, and every join carries the tenant equality, so
//! the statement goes to the one shard (or the colocated shards) of that tenant.

use diesel::pg::Pg;
use diesel::query_builder::QueryFragment;
use tenant_diesel::prelude::*;
use tenant_diesel_tests::*;

fn same<Q: QueryFragment<Pg>>(scoped: String, hand_written: &Q) -> String {
    assert_eq!(
        scoped,
        diesel::debug_query::<Pg, _>(hand_written).to_string()
    );
    scoped
}

/// The routing rule: `"table"."tenant_id" = $n` for every tenant table named,
/// each `$n` bound to `tenant`.
fn routes_to(sql: &str, tables: &[&str], tenant: i64) {
    let (text, binds) = sql.split_once(" -- binds: ").expect("binds");
    let binds: Vec<&str> = binds
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(", ")
        .collect();
    for table in tables {
        let term = format!("\"{table}\".\"tenant_id\" = $");
        let at = text
            .find(&term)
            .unwrap_or_else(|| panic!("`{table}` has no tenant term: {sql}"));
        let number: String = text[at + term.len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let index: usize = number.parse().expect("a bind number");
        assert_eq!(binds[index - 1], tenant.to_string(), "{sql}");
    }
}

#[test]
fn find_takes_the_key_without_the_tenant_in_both_styles() {
    let ctx = ctx(ACME);
    let single = same(
        Account::scoped(&ctx)
            .find(4)
            .debug_query::<Pg>()
            .to_string(),
        &accounts::table
            .filter(accounts::tenant_id.eq(ACME))
            .filter(accounts::id.eq(4)),
    );
    routes_to(&single, &["accounts"], ACME);
    let composite = same(
        Note::scoped(&ctx).find(2).debug_query::<Pg>().to_string(),
        &notes::table
            .filter(notes::tenant_id.eq(ACME))
            .filter(notes::id.eq(2)),
    );
    routes_to(&composite, &["notes"], ACME);
}

#[test]
fn update_and_delete_by_id_in_both_styles() {
    let ctx = ctx(CONTOSO);
    let update = same(
        Note::scoped(&ctx)
            .update(2)
            .set_column(notes::body, "edited")
            .debug_query::<Pg>()
            .to_string(),
        &diesel::update(
            notes::table
                .filter(notes::tenant_id.eq(CONTOSO))
                .filter(notes::id.eq(2)),
        )
        .set(notes::body.eq("edited")),
    );
    routes_to(&update, &["notes"], CONTOSO);
    let delete = same(
        Note::scoped(&ctx).delete(2).debug_query::<Pg>().to_string(),
        &diesel::delete(
            notes::table
                .filter(notes::tenant_id.eq(CONTOSO))
                .filter(notes::id.eq(2)),
        ),
    );
    routes_to(&delete, &["notes"], CONTOSO);
    let single = same(
        Account::scoped(&ctx)
            .delete(2)
            .debug_query::<Pg>()
            .to_string(),
        &diesel::delete(
            accounts::table
                .filter(accounts::tenant_id.eq(CONTOSO))
                .filter(accounts::id.eq(2)),
        ),
    );
    routes_to(&single, &["accounts"], CONTOSO);
}

#[derive(TenantValues)]
#[diesel(table_name = comments)]
struct NewComment {
    id: i64,
    note_id: i64,
    body: String,
}

#[test]
fn an_insert_into_a_composite_key_table_is_stamped_first() {
    let ctx = ctx(ACME);
    let row = NewComment {
        id: 3,
        note_id: 1,
        body: "more".into(),
    };
    let sql = same(
        Comment::scoped(&ctx)
            .insert(&row)
            .debug_query::<Pg>()
            .to_string(),
        &diesel::insert_into(comments::table).values((
            comments::tenant_id.eq(ACME),
            comments::id.eq(3),
            comments::note_id.eq(1),
            comments::body.eq("more"),
        )),
    );
    // The distribution column is in the row: the insert routes to its shard.
    assert!(
        sql.starts_with(
            "INSERT INTO \"comments\" (\"tenant_id\", \"id\", \"note_id\", \"body\") VALUES ($1"
        ),
        "{sql}"
    );
    assert!(sql.ends_with("binds: [1, 3, 1, \"more\"]"), "{sql}");
}

#[test]
fn joins_match_the_key_without_the_tenant_and_carry_the_tenant_equality() {
    let ctx = ctx(ACME);
    // Composite to composite, from the child and from the parent.
    let child = same(
        Comment::scoped(&ctx)
            .inner_join(notes::table)
            .select((comments::body, notes::body))
            .debug_query::<Pg>()
            .to_string(),
        &comments::table
            .inner_join(
                notes::table.on(comments::note_id
                    .eq(notes::id)
                    .and(comments::tenant_id.eq(notes::tenant_id))),
            )
            .filter(comments::tenant_id.eq(ACME))
            .filter(notes::tenant_id.eq(ACME))
            .select((comments::body, notes::body)),
    );
    routes_to(&child, &["comments", "notes"], ACME);
    let parent = same(
        Note::scoped(&ctx)
            .left_join(comments::table)
            .select((notes::body, comments::body.nullable()))
            .debug_query::<Pg>()
            .to_string(),
        &notes::table
            .left_join(
                comments::table.on(comments::note_id
                    .eq(notes::id)
                    .and(comments::tenant_id.eq(notes::tenant_id))
                    .and(comments::tenant_id.eq(ACME))),
            )
            .filter(notes::tenant_id.eq(ACME))
            .select((notes::body, comments::body.nullable())),
    );
    routes_to(&parent, &["comments", "notes"], ACME);
    // A single-column key, for comparison.
    let single = same(
        Invoice::scoped(&ctx)
            .inner_join(accounts::table)
            .select((invoices::id, accounts::name))
            .debug_query::<Pg>()
            .to_string(),
        &invoices::table
            .inner_join(
                accounts::table.on(invoices::account_id
                    .eq(accounts::id)
                    .and(invoices::tenant_id.eq(accounts::tenant_id))),
            )
            .filter(invoices::tenant_id.eq(ACME))
            .filter(accounts::tenant_id.eq(ACME))
            .select((invoices::id, accounts::name)),
    );
    routes_to(&single, &["invoices", "accounts"], ACME);
}
