//! The controls of the compile-fail suite's attacks (issue classes 1-11): each
//! test runs, on a real SQLite database with plain Diesel, the SQL that a refused
//! scoped query would have sent, and shows that it reads, copies, moves or
//! deletes another tenant's rows. So the compile-fail cases fail for the reason
//! they claim, not for an unrelated one.
//!
//! The seed: Acme (1) owns accounts 1, 3, 5 and invoices 1, 3, 5; Contoso (2)
//! owns accounts 2, 4, 6 and invoices 2 (amount 20) and 4 (amount 40).
#![allow(clippy::disallowed_macros, clippy::disallowed_methods)]

use diesel::dsl::exists;
use diesel::prelude::*;
use tenant_diesel_tests::sqlite::TestDb;
use tenant_diesel_tests::{accounts, invoices, plans, Account, ACME, CONTOSO};

fn acme_scope() -> diesel::dsl::Filter<accounts::table, diesel::dsl::Eq<accounts::tenant_id, i64>> {
    accounts::table.filter(accounts::tenant_id.eq(ACME))
}

/// Class 1: a subquery as the value of `set_column` copies another tenant's data.
#[test]
fn a_subquery_as_an_update_value_copies_another_tenants_data() {
    let mut db = TestDb::new();
    let contoso_invoice = invoices::table
        .filter(invoices::id.eq(4))
        .select(invoices::amount)
        .single_value()
        .assume_not_null();
    diesel::update(acme_scope().filter(accounts::id.eq(1)))
        .set(accounts::balance.eq(contoso_invoice))
        .execute(&mut db.app)
        .unwrap();
    let acme_account = db.all_accounts().into_iter().find(|a| a.id == 1).unwrap();
    assert_eq!(
        acme_account.balance, 40,
        "Contoso's invoice amount, in Acme's row"
    );
}

/// Class 1: a subquery as the id of `find` is a one-bit oracle on another tenant.
#[test]
fn a_subquery_as_an_id_answers_questions_about_another_tenant() {
    let mut db = TestDb::new();
    let ask = |db: &mut TestDb, threshold: i64| -> bool {
        // "Is Contoso's biggest invoice above `threshold`?": account 1 is found
        // when it is.
        let probe = invoices::table
            .filter(invoices::tenant_id.eq(CONTOSO))
            .filter(invoices::amount.gt(threshold))
            .select(invoices::account_id - invoices::account_id + 1)
            .single_value()
            .assume_not_null();
        acme_scope()
            .filter(accounts::id.eq(probe))
            .first::<Account>(&mut db.app)
            .optional()
            .unwrap()
            .is_some()
    };
    assert!(ask(&mut db, 30));
    assert!(!ask(&mut db, 50));
}

/// Class 2: a shared table written from a tenant's request.
#[test]
fn a_write_to_a_shared_table_changes_every_tenant() {
    let mut db = TestDb::new();
    let renamed = diesel::update(plans::table)
        .set(plans::name.eq("deleted"))
        .execute(&mut db.app)
        .unwrap();
    assert_eq!(renamed, 2, "every tenant's plans are rewritten");
}

/// Classes 3 and 11: a values field renamed onto the tenant column.
#[test]
fn a_values_field_on_the_tenant_column_inserts_into_another_tenant() {
    #[derive(Insertable)]
    #[diesel(table_name = accounts)]
    struct Renamed {
        id: i64,
        #[diesel(column_name = tenant_id)]
        owner: i64,
        name: String,
        balance: i64,
    }
    let mut db = TestDb::new();
    diesel::insert_into(accounts::table)
        .values(&Renamed {
            id: 99,
            owner: CONTOSO,
            name: "planted".into(),
            balance: 0,
        })
        .execute(&mut db.app)
        .unwrap();
    let planted = db.all_accounts().into_iter().find(|a| a.id == 99).unwrap();
    assert_eq!(planted.tenant_id, CONTOSO);
}

/// Class 6: the tenant column set by an update moves the row to another tenant.
#[test]
fn setting_the_tenant_column_moves_a_row() {
    let mut db = TestDb::new();
    diesel::update(acme_scope().filter(accounts::id.eq(1)))
        .set(accounts::tenant_id.eq(CONTOSO))
        .execute(&mut db.app)
        .unwrap();
    let moved = db.all_accounts().into_iter().find(|a| a.id == 1).unwrap();
    assert_eq!(moved.tenant_id, CONTOSO);
}

/// Class 9: an aggregate's `FILTER` holds a subquery over another tenant.
#[test]
fn an_aggregate_filter_reads_another_tenant() {
    let mut db = TestDb::new();
    let count_if = |db: &mut TestDb, threshold: i64| -> i64 {
        diesel::sql_query(format!(
            // What `count(id).aggregate_filter(exists(..))` on Acme's scope sends.
            "SELECT COUNT(id) FILTER (WHERE EXISTS (SELECT 1 FROM invoices WHERE tenant_id = {CONTOSO} AND amount > {threshold})) AS n FROM accounts WHERE tenant_id = {ACME}"
        ))
        .get_result::<Count>(&mut db.app)
        .unwrap()
        .n
    };
    assert_eq!(count_if(&mut db, 30), 3, "Contoso has an invoice above 30");
    assert_eq!(count_if(&mut db, 50), 0, "and none above 50");
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Class 4: a second `table!` of the accounts table, declared shared, reads every
/// tenant through `global(..)` where no database wall stands (SQLite). On
/// PostgreSQL, `verify_isolation` refuses the declaration (`postgres_wall.rs`).
#[test]
fn a_second_declaration_of_a_tenant_table_declared_shared_reads_every_tenant() {
    use tenant_diesel::prelude::RunQueryDsl as _;
    use tenant_diesel_tests::{accounts_everyone, ctx};
    let mut db = TestDb::new();
    let acme = ctx(ACME);
    let mut conn = tenant_diesel::TenantConn::new(&mut db.app, &acme);
    let owners: Vec<i64> = tenant_diesel::global(accounts_everyone::table)
        .select(accounts_everyone::tenant_id)
        .load(&mut conn)
        .unwrap();
    assert!(owners.contains(&CONTOSO), "{owners:?}");
}

/// Class 10: Diesel's `infix_operator!` pastes ` OR ` without parentheses.
#[test]
fn an_unparenthesised_or_reads_every_tenant() {
    diesel::infix_operator!(Either, " OR ");
    let mut db = TestDb::new();
    let rows: Vec<Account> = acme_scope()
        .filter(Either::new(accounts::id.eq(1), accounts::id.eq(2)))
        .load(&mut db.app)
        .unwrap();
    assert!(
        rows.iter().any(|a| a.tenant_id == CONTOSO),
        "`tenant_id = 1 AND id = 1 OR id = 2` reads Contoso's account 2: {rows:?}"
    );
}

/// Class 6 and 1 together: a subquery smuggled into a filter reads another
/// tenant (the plain `exists` form of the matrix).
#[test]
fn an_exists_subquery_is_an_oracle_on_another_tenant() {
    let mut db = TestDb::new();
    let above = |db: &mut TestDb, threshold: i64| -> usize {
        acme_scope()
            .filter(exists(
                invoices::table
                    .filter(invoices::tenant_id.eq(CONTOSO))
                    .filter(invoices::amount.gt(threshold)),
            ))
            .load::<Account>(&mut db.app)
            .unwrap()
            .len()
    };
    assert_eq!(above(&mut db, 30), 3);
    assert_eq!(above(&mut db, 50), 0);
}
