//! The zero-cost claim on MySQL: every scoped query sends exactly the SQL and
//! binds of the hand-filtered Diesel query, every tenant table in it carrying
//! `tenant_id = ?`. One departure, on purpose: a shared row lock is
//! `LOCK IN SHARE MODE` (MariaDB does not parse Diesel's `FOR SHARE`).

use diesel::mysql::Mysql;
use diesel::query_builder::QueryFragment;
use tenant_diesel::prelude::*;
use tenant_diesel_tests::*;

/// The scoped query's SQL and binds equal the hand-written query's.
fn assert_same_sql<Q: QueryFragment<Mysql>>(scoped: String, hand_written: &Q) {
    let expected = diesel::debug_query::<Mysql, _>(hand_written).to_string();
    assert_eq!(scoped, expected);
    assert!(
        scoped.contains("`tenant_id` = ?"),
        "the statement does not carry the tenant filter: {scoped}"
    );
}

#[test]
fn reads_are_the_hand_filtered_selects() {
    let ctx = ctx(CONTOSO);
    assert_same_sql(
        Account::scoped(&ctx).debug_query::<Mysql>().to_string(),
        &accounts::table.filter(accounts::tenant_id.eq(CONTOSO)),
    );
    assert_same_sql(
        Account::scoped(&ctx)
            .filter(accounts::name.eq("Globex"))
            .order(accounts::name)
            .then_order_by(accounts::id.desc())
            .limit(10)
            .offset(20)
            .debug_query::<Mysql>()
            .to_string(),
        &accounts::table
            .filter(accounts::tenant_id.eq(CONTOSO))
            .filter(accounts::name.eq("Globex"))
            .order(accounts::name)
            .then_order_by(accounts::id.desc())
            .limit(10)
            .offset(20),
    );
    assert_same_sql(
        Account::scoped(&ctx)
            .find(4)
            .limit(1)
            .debug_query::<Mysql>()
            .to_string(),
        &accounts::table
            .filter(accounts::tenant_id.eq(CONTOSO))
            .filter(accounts::id.eq(4))
            .limit(1),
    );
    assert_same_sql(
        Account::scoped(&ctx)
            .select(accounts::name)
            .distinct()
            .debug_query::<Mysql>()
            .to_string(),
        &accounts::table
            .filter(accounts::tenant_id.eq(CONTOSO))
            .select(accounts::name)
            .distinct(),
    );
    assert_same_sql(
        Account::scoped(&ctx)
            .count()
            .debug_query::<Mysql>()
            .to_string(),
        &accounts::table
            .filter(accounts::tenant_id.eq(CONTOSO))
            .count(),
    );
}

#[test]
fn the_tenant_is_a_bind_parameter_never_sql_text() {
    let ctx = ctx(CONTOSO);
    let sql = Account::scoped(&ctx).debug_query::<Mysql>().to_string();
    assert!(
        sql.ends_with("WHERE (`accounts`.`tenant_id` = ?) -- binds: [2]"),
        "{sql}"
    );
}

#[test]
fn global_queries_are_the_hand_written_queries() {
    assert_eq!(
        global(plans::table)
            .filter(plans::name.eq("pro"))
            .debug_query::<Mysql>()
            .to_string(),
        diesel::debug_query::<Mysql, _>(&plans::table.filter(plans::name.eq("pro"))).to_string()
    );
}

#[test]
fn inserts_are_the_hand_written_inserts_with_the_tenant_stamped() {
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
    let one = Account::scoped(&ctx)
        .insert(&rows[0])
        .debug_query::<Mysql>()
        .to_string();
    let hand_written =
        diesel::insert_into(accounts::table).values((accounts::tenant_id.eq(CONTOSO), &rows[0]));
    assert_eq!(
        one,
        diesel::debug_query::<Mysql, _>(&hand_written).to_string()
    );
    assert!(
        one.starts_with("INSERT INTO `accounts` (`tenant_id`,") && one.contains("binds: [2,"),
        "the tenant is not stamped from the context: {one}"
    );
    // A batch is one statement on MySQL, every row stamped.
    let batch = Account::scoped(&ctx)
        .insert_all(&rows)
        .debug_query::<Mysql>()
        .to_string();
    let stamped: Vec<_> = rows
        .iter()
        .map(|row| (accounts::tenant_id.eq(CONTOSO), row))
        .collect();
    assert_eq!(
        batch,
        diesel::debug_query::<Mysql, _>(&diesel::insert_into(accounts::table).values(stamped))
            .to_string()
    );
    assert!(
        batch.starts_with(
            "INSERT INTO `accounts` (`tenant_id`, `id`, `name`, `balance`) VALUES (?, ?, ?, ?), (?, ?, ?, ?)"
        ) && batch.ends_with("binds: [2, 9, \"Hooli\", 5, 2, 10, \"Pied Piper\", 6]"),
        "{batch}"
    );
}

#[test]
fn updates_and_deletes_carry_the_tenant_filter() {
    let ctx = ctx(CONTOSO);
    let changes = AccountChanges {
        name: Some("New".into()),
        balance: Some(1),
    };
    assert_same_sql(
        Account::scoped(&ctx)
            .update(4)
            .set(&changes)
            .debug_query::<Mysql>()
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
            .debug_query::<Mysql>()
            .to_string(),
        &diesel::update(
            accounts::table
                .filter(accounts::tenant_id.eq(CONTOSO))
                .filter(accounts::balance.lt(0)),
        )
        .set(accounts::balance.eq(0)),
    );
    assert_same_sql(
        Account::scoped(&ctx)
            .delete(3)
            .debug_query::<Mysql>()
            .to_string(),
        &diesel::delete(
            accounts::table
                .filter(accounts::tenant_id.eq(CONTOSO))
                .filter(accounts::id.eq(3)),
        ),
    );
    assert_same_sql(
        Account::scoped(&ctx)
            .delete_all()
            .debug_query::<Mysql>()
            .to_string(),
        &diesel::delete(accounts::table.filter(accounts::tenant_id.eq(CONTOSO))),
    );
}

#[test]
fn joins_are_the_routable_hand_written_joins() {
    let ctx = ctx(ACME);
    let inner = Invoice::scoped(&ctx)
        .inner_join(accounts::table)
        .select((invoices::id, accounts::name))
        .debug_query::<Mysql>()
        .to_string();
    assert_same_sql(
        inner.clone(),
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
    assert!(inner.ends_with("binds: [1, 1]"), "{inner}");
    let left = Invoice::scoped(&ctx)
        .left_join(accounts::table)
        .select((invoices::id, accounts::name.nullable()))
        .debug_query::<Mysql>()
        .to_string();
    assert_same_sql(
        left.clone(),
        &invoices::table
            .left_join(
                accounts::table.on(invoices::account_id
                    .eq(accounts::id)
                    .and(invoices::tenant_id.eq(accounts::tenant_id))
                    .and(accounts::tenant_id.eq(ACME))),
            )
            .filter(invoices::tenant_id.eq(ACME))
            .select((invoices::id, accounts::name.nullable())),
    );
    let (on, r#where) = left.split_once("WHERE").expect("a WHERE clause");
    assert!(on.contains("`accounts`.`tenant_id` = ?"), "{left}");
    assert!(!r#where.contains("`accounts`"), "{left}");
    assert_same_sql(
        Subscription::scoped(&ctx)
            .inner_join(plans::table)
            .select(plans::name)
            .debug_query::<Mysql>()
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
            .debug_query::<Mysql>()
            .to_string(),
        &invoices::table
            .filter(invoices::tenant_id.eq(ACME))
            .group_by(invoices::account_id)
            .having(count_star().gt(1))
            .select((invoices::account_id, count_star())),
    );
    assert_same_sql(
        Account::scoped(&ctx)
            .into_boxed::<Mysql>()
            .filter(accounts::name.eq("Globex"))
            .debug_query::<Mysql>()
            .to_string(),
        &accounts::table
            .filter(accounts::tenant_id.eq(ACME))
            .filter(accounts::name.eq("Globex")),
    );
}

#[test]
fn row_locks_are_the_hand_written_locking_reads() {
    let ctx = ctx(ACME);
    let scoped = || {
        Account::scoped(&ctx)
            .filter(accounts::balance.gt(0))
            .limit(1)
    };
    let hand_written = || {
        accounts::table
            .filter(accounts::tenant_id.eq(ACME))
            .filter(accounts::balance.gt(0))
            .limit(1)
    };
    assert_same_sql(
        scoped().for_update().debug_query::<Mysql>().to_string(),
        &hand_written().for_update(),
    );
    assert_same_sql(
        scoped()
            .for_update()
            .skip_locked()
            .debug_query::<Mysql>()
            .to_string(),
        &hand_written().for_update().skip_locked(),
    );
    assert_same_sql(
        scoped()
            .for_update()
            .no_wait()
            .debug_query::<Mysql>()
            .to_string(),
        &hand_written().for_update().no_wait(),
    );
    // The shared lock: Diesel's `FOR SHARE`, written as MariaDB parses it.
    let shared = scoped().for_share().debug_query::<Mysql>().to_string();
    let diesels = diesel::debug_query::<Mysql, _>(&hand_written().for_share()).to_string();
    assert_eq!(
        shared,
        diesels.replace(" FOR SHARE", " LOCK IN SHARE MODE"),
        "{diesels}"
    );
    assert!(
        shared.contains("LIMIT ? LOCK IN SHARE MODE -- binds: [1, 0, 1]"),
        "{shared}"
    );
}
