// What real scoped queries write passes the expression check, and runs: operators,
// `IN` over values, arithmetic, aggregates, `as_select()`, and the application's
// own SQL function and operator, declared so that their arguments are checked.
use diesel::sql_types::{BigInt, Bool, Text};
use tenant_diesel::dsl::{count, count_star, max, min};
use tenant_diesel::prelude::*;
use tenant_diesel::{tenant_infix_operator, tenant_sql_function};
use tenant_diesel_ui_tests::{accounts, acme, database, invoices, Account, Invoice};

tenant_sql_function! {
    /// `lower(x)`, SQLite's.
    fn lower(x: Text) -> Text;
}

tenant_infix_operator!(IsNot, " != ", Bool);

fn main() -> QueryResult<()> {
    let ctx = acme();
    let mut raw = database();
    let mut conn = TenantConn::new(&mut raw, &ctx);

    let found: Vec<Account> = Account::scoped(&ctx)
        .filter(
            accounts::id
                .eq_any(vec![1_i64, 2, 3])
                .and(accounts::name.like("A%").or(accounts::name.is_not_null()))
                .and(diesel::dsl::not(accounts::id.between(100_i64, 200_i64)))
                .and(lower(accounts::name).eq("acme ltd"))
                .and(IsNot::new(accounts::id, 7_i64.into_sql::<BigInt>())),
        )
        .order((accounts::name.desc(), accounts::id.asc()))
        .select(Account::as_select())
        .load(&mut conn)?;
    assert_eq!(found.len(), 1, "{found:?}");

    let per_account: Vec<(i64, i64, i64, Option<i64>, Option<i64>)> = Invoice::scoped(&ctx)
        .group_by(invoices::account_id)
        .select((
            invoices::account_id,
            count_star(),
            count(invoices::id),
            max(invoices::amount),
            min(invoices::amount * 2_i64),
        ))
        .load(&mut conn)?;
    assert!(per_account.iter().all(|row| row.1 == row.2));

    let doubled = Account::scoped(&ctx)
        .update(1_i64)
        .set_column(accounts::id, accounts::id + 0_i64)
        .execute(&mut conn)?;
    assert_eq!(doubled, 1);
    let _: Option<i64> = Account::scoped(&ctx)
        .select(accounts::id.nullable())
        .first(&mut conn)?;
    Ok(())
}
