// The correct versions of the write and join leak vectors.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, database, invoices, Account, AccountChanges, Invoice, NewAccount};

// A join's type can be named, for functions that build one.
fn invoices_with_accounts(ctx: &TenantCtx) -> ScopedInnerJoin<invoices::table, accounts::table> {
    Invoice::scoped(ctx).inner_join(accounts::table)
}

fn accounts_with_invoices(ctx: &TenantCtx) -> ScopedLeftJoin<accounts::table, invoices::table> {
    Account::scoped(ctx).left_join(invoices::table)
}

fn main() -> QueryResult<()> {
    let ctx = acme();
    let mut raw = database();
    let mut conn = TenantConn::new(&mut raw, &ctx);

    // Vector 8, fixed: the tenant is stamped from the context.
    let row: Account = Account::scoped(&ctx)
        .insert(&NewAccount { id: 9, name: "Hooli".into() })
        .get_result(&mut conn)?;
    assert_eq!(row.tenant_id, 1);

    // Vector 9, fixed: updates never touch the tenant column; another tenant's id changes nothing.
    let changes = AccountChanges { name: "Renamed".into() };
    assert_eq!(Account::scoped(&ctx).update(2).set(&changes).execute(&mut conn)?, 0);
    assert_eq!(Account::scoped(&ctx).update(9).set_column(accounts::name, "Hooli XYZ").execute(&mut conn)?, 1);

    // Vector 5, fixed: a declared, tenant-aware join.
    let pairs: Vec<(i64, String)> = invoices_with_accounts(&ctx)
        .select((invoices::id, accounts::name))
        .load(&mut conn)?;
    assert!(pairs.is_empty());
    // The other direction, as a left join: Acme's accounts, each without invoices.
    let unmatched: Vec<(String, Option<i64>)> = accounts_with_invoices(&ctx)
        .select((accounts::name, invoices::id.nullable()))
        .load(&mut conn)?;
    assert!(!unmatched.is_empty() && unmatched.iter().all(|(_, invoice)| invoice.is_none()));

    assert_eq!(Account::scoped(&ctx).delete(9).execute(&mut conn)?, 1);
    Ok(())
}
