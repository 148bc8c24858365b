// The correct versions of the read leak vectors: start from the model.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, database, plans, Account, Plan};

fn main() -> QueryResult<()> {
    let ctx = acme();
    let mut raw = database();
    let mut conn = TenantConn::new(&mut raw, &ctx);

    // Vector 1, fixed.
    let listed: Vec<Account> = Account::scoped(&ctx)
        .order(accounts::name)
        .limit(10)
        .load(&mut conn)?;
    assert_eq!(listed.len(), 1);

    // Vector 2, fixed: Contoso's account 2 is not found on Acme's scope.
    let tampered = Account::scoped(&ctx).find(2).first::<Account>(&mut conn).optional()?;
    assert!(tampered.is_none());

    // Global tables run through `global`.
    let free: Plan = global(plans::table).find(1).first(&mut conn)?;
    assert_eq!(free.name, "free");
    Ok(())
}
