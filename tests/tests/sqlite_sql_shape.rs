//! The zero-cost claim: every scoped query sends exactly the SQL and binds of the
//! hand-filtered Diesel query. It is also the routing claim: every tenant table in
//! the statement carries `tenant_id = ?`, which a distributed engine such as Citus
//! needs to send the statement to a single shard.

use diesel::query_builder::QueryFragment;
use diesel::sqlite::Sqlite;
use tenant_diesel::prelude::*;
use tenant_diesel_tests::*;

/// The scoped query's SQL and binds equal the hand-written query's.
fn assert_same_sql<Q: QueryFragment<Sqlite>>(scoped: String, hand_written: &Q) {
    let expected = diesel::debug_query::<Sqlite, _>(hand_written).to_string();
    assert_eq!(scoped, expected);
    assert!(
        scoped.contains("`tenant_id` = ?"),
        "the statement does not carry the tenant filter: {scoped}"
    );
}

#[test]
fn loading_the_scope_is_the_hand_filtered_select() {
    let ctx = ctx(ACME);
    assert_same_sql(
        Account::scoped(&ctx).debug_query::<Sqlite>().to_string(),
        &accounts::table.filter(accounts::tenant_id.eq(ACME)),
    );
}

#[test]
fn filter_order_limit_offset_are_the_hand_written_clauses() {
    let ctx = ctx(CONTOSO);
    let scoped = Account::scoped(&ctx)
        .filter(accounts::name.eq("Globex"))
        .filter(accounts::balance.gt(10))
        .order(accounts::name)
        .then_order_by(accounts::id.desc())
        .limit(10)
        .offset(20);
    assert_same_sql(
        scoped.debug_query::<Sqlite>().to_string(),
        &accounts::table
            .filter(accounts::tenant_id.eq(CONTOSO))
            .filter(accounts::name.eq("Globex"))
            .filter(accounts::balance.gt(10))
            .order(accounts::name)
            .then_order_by(accounts::id.desc())
            .limit(10)
            .offset(20),
    );
}

#[test]
fn find_is_the_hand_written_primary_key_filter() {
    let ctx = ctx(ACME);
    assert_same_sql(
        Account::scoped(&ctx)
            .find(4)
            .limit(1)
            .debug_query::<Sqlite>()
            .to_string(),
        &accounts::table
            .filter(accounts::tenant_id.eq(ACME))
            .filter(accounts::id.eq(4))
            .limit(1),
    );
    assert_same_sql(
        Note::scoped(&ctx)
            .find(2)
            .debug_query::<Sqlite>()
            .to_string(),
        &notes::table
            .filter(notes::tenant_id.eq(ACME))
            .filter(notes::id.eq(2)),
    );
}

#[test]
fn select_distinct_and_count_are_the_hand_written_projections() {
    let ctx = ctx(ACME);
    assert_same_sql(
        Account::scoped(&ctx)
            .select(accounts::name)
            .distinct()
            .debug_query::<Sqlite>()
            .to_string(),
        &accounts::table
            .filter(accounts::tenant_id.eq(ACME))
            .select(accounts::name)
            .distinct(),
    );
    assert_same_sql(
        Account::scoped(&ctx)
            .select(Account::as_select())
            .debug_query::<Sqlite>()
            .to_string(),
        &accounts::table
            .filter(accounts::tenant_id.eq(ACME))
            .select(Account::as_select()),
    );
    assert_same_sql(
        Account::scoped(&ctx)
            .count()
            .debug_query::<Sqlite>()
            .to_string(),
        &accounts::table.filter(accounts::tenant_id.eq(ACME)).count(),
    );
}

#[test]
fn the_tenant_is_a_bind_parameter_never_sql_text() {
    let ctx = ctx(CONTOSO);
    let sql = Account::scoped(&ctx).debug_query::<Sqlite>().to_string();
    assert!(
        sql.ends_with("WHERE (`accounts`.`tenant_id` = ?) -- binds: [2]"),
        "{sql}"
    );
}

#[test]
fn global_queries_are_the_hand_written_queries() {
    let sql = global(plans::table)
        .filter(plans::name.eq("pro"))
        .debug_query::<Sqlite>()
        .to_string();
    let expected =
        diesel::debug_query::<Sqlite, _>(&plans::table.filter(plans::name.eq("pro"))).to_string();
    assert_eq!(sql, expected);
}

#[test]
fn insert_is_the_hand_written_insert_with_the_tenant_stamped() {
    let ctx = ctx(ACME);
    let row = NewAccount {
        id: 9,
        name: "Hooli".into(),
        balance: 5,
    };
    let scoped = Account::scoped(&ctx)
        .insert(&row)
        .debug_query::<Sqlite>()
        .to_string();
    let hand_written =
        diesel::insert_into(accounts::table).values((accounts::tenant_id.eq(ACME), &row));
    assert_eq!(
        scoped,
        diesel::debug_query::<Sqlite, _>(&hand_written).to_string()
    );
    assert!(
        scoped.starts_with("INSERT INTO `accounts` (`tenant_id`,") && scoped.contains("binds: [1,"),
        "the tenant is not stamped from the context: {scoped}"
    );
    // A batch insert has no single statement on SQLite (Diesel runs one INSERT per
    // row there), so its shape is checked in `postgres_sql_shape.rs`; the `writes`
    // suite checks that every row is stamped.
}

#[test]
fn update_is_the_hand_written_update_with_the_tenant_filter() {
    let ctx = ctx(CONTOSO);
    let changes = AccountChanges {
        name: Some("New".into()),
        balance: Some(1),
    };
    assert_same_sql(
        Account::scoped(&ctx)
            .update(4)
            .set(&changes)
            .debug_query::<Sqlite>()
            .to_string(),
        &diesel::update(
            accounts::table
                .filter(accounts::tenant_id.eq(CONTOSO))
                .filter(accounts::id.eq(4)),
        )
        .set(&changes),
    );
    assert_same_sql(
        Account::scoped(&ctx)
            .filter(accounts::balance.lt(0))
            .update_all()
            .set_column(accounts::balance, 0)
            .debug_query::<Sqlite>()
            .to_string(),
        &diesel::update(
            accounts::table
                .filter(accounts::tenant_id.eq(CONTOSO))
                .filter(accounts::balance.lt(0)),
        )
        .set(accounts::balance.eq(0)),
    );
}

#[test]
fn delete_is_the_hand_written_delete_with_the_tenant_filter() {
    let ctx = ctx(ACME);
    assert_same_sql(
        Account::scoped(&ctx)
            .delete(3)
            .debug_query::<Sqlite>()
            .to_string(),
        &diesel::delete(
            accounts::table
                .filter(accounts::tenant_id.eq(ACME))
                .filter(accounts::id.eq(3)),
        ),
    );
    assert_same_sql(
        Account::scoped(&ctx)
            .delete_all()
            .debug_query::<Sqlite>()
            .to_string(),
        &diesel::delete(accounts::table.filter(accounts::tenant_id.eq(ACME))),
    );
}

#[test]
fn an_inner_join_is_the_routable_hand_written_join() {
    let ctx = ctx(ACME);
    let scoped = Invoice::scoped(&ctx)
        .inner_join(accounts::table)
        .select((invoices::id, accounts::name))
        .debug_query::<Sqlite>()
        .to_string();
    let hand_written = invoices::table
        .inner_join(
            accounts::table.on(invoices::account_id
                .eq(accounts::id)
                .and(invoices::tenant_id.eq(accounts::tenant_id))),
        )
        .filter(invoices::tenant_id.eq(ACME))
        .filter(accounts::tenant_id.eq(ACME))
        .select((invoices::id, accounts::name));
    assert_same_sql(scoped.clone(), &hand_written);
    // Both tenant tables carry their own `tenant_id = ?`, with the same tenant.
    assert!(scoped.contains("(`invoices`.`tenant_id` = ?)"), "{scoped}");
    assert!(scoped.contains("(`accounts`.`tenant_id` = ?)"), "{scoped}");
    assert!(scoped.ends_with("binds: [1, 1]"), "{scoped}");
}

#[test]
fn a_left_join_keeps_the_joined_tenant_filter_inside_on() {
    let ctx = ctx(CONTOSO);
    let scoped = Invoice::scoped(&ctx)
        .left_join(accounts::table)
        .select((invoices::id, accounts::name.nullable()))
        .debug_query::<Sqlite>()
        .to_string();
    let hand_written = invoices::table
        .left_join(
            accounts::table.on(invoices::account_id
                .eq(accounts::id)
                .and(invoices::tenant_id.eq(accounts::tenant_id))
                .and(accounts::tenant_id.eq(CONTOSO))),
        )
        .filter(invoices::tenant_id.eq(CONTOSO))
        .select((invoices::id, accounts::name.nullable()));
    assert_same_sql(scoped.clone(), &hand_written);
    let (on, r#where) = scoped.split_once("WHERE").expect("a WHERE clause");
    assert!(on.contains("`accounts`.`tenant_id` = ?"), "{scoped}");
    assert!(!r#where.contains("`accounts`"), "{scoped}");
}

#[test]
fn a_join_to_a_global_table_is_the_hand_written_join() {
    let ctx = ctx(ACME);
    assert_same_sql(
        Subscription::scoped(&ctx)
            .inner_join(plans::table)
            .select(plans::name)
            .debug_query::<Sqlite>()
            .to_string(),
        &subscriptions::table
            .inner_join(plans::table.on(subscriptions::plan_id.eq(plans::id)))
            .filter(subscriptions::tenant_id.eq(ACME))
            .select(plans::name),
    );
}

#[test]
fn group_by_having_and_boxing_are_the_hand_written_clauses() {
    use diesel::dsl::count_star;
    let ctx = ctx(ACME);
    assert_same_sql(
        Invoice::scoped(&ctx)
            .group_by(invoices::account_id)
            .having(count_star().gt(1))
            .select((invoices::account_id, count_star()))
            .debug_query::<Sqlite>()
            .to_string(),
        &invoices::table
            .filter(invoices::tenant_id.eq(ACME))
            .group_by(invoices::account_id)
            .having(count_star().gt(1))
            .select((invoices::account_id, count_star())),
    );
    assert_same_sql(
        Account::scoped(&ctx)
            .into_boxed::<Sqlite>()
            .filter(accounts::name.eq("Globex"))
            .debug_query::<Sqlite>()
            .to_string(),
        &accounts::table
            .filter(accounts::tenant_id.eq(ACME))
            .filter(accounts::name.eq("Globex")),
    );
}
