//! The README's quickstart, end to end on an in-memory SQLite database:
//! two tenants whose accounts share names, and what each of them sees.
//!
//! Run it with `cargo run -p tenant-diesel --example quickstart`.

use diesel::connection::SimpleConnection;
use tenant_diesel::prelude::*;

// schema.rs, exactly as `diesel print-schema` writes it.
diesel::table! {
    accounts (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        name -> Text,
    }
}

diesel::table! {
    plans (id) {
        id -> BigInt,
        name -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(accounts, plans);

// models.rs
#[derive(Debug, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = accounts)]
pub struct Account {
    pub id: i64,
    pub tenant_id: i64,
    pub name: String,
}

global_table!(plans);

/// A handler: it gets a connection that acts for one tenant, and every query it
/// can write on it is filtered by that tenant.
fn list_accounts(
    ctx: &TenantCtx,
    conn: &mut TenantConn<&mut SqliteConnection>,
) -> QueryResult<Vec<Account>> {
    Account::scoped(ctx)
        .order(accounts::name)
        .limit(10)
        .load(conn)
}

/// `account_id` comes from the URL: another tenant's id is simply not found.
fn select_account(
    ctx: &TenantCtx,
    conn: &mut TenantConn<&mut SqliteConnection>,
    account_id: i64,
) -> QueryResult<Option<Account>> {
    Account::scoped(ctx).find(account_id).first(conn).optional()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut raw = SqliteConnection::establish(":memory:")?;
    raw.batch_execute(
        "CREATE TABLE accounts (id BIGINT PRIMARY KEY, tenant_id BIGINT NOT NULL, name TEXT NOT NULL);
         CREATE TABLE plans (id BIGINT PRIMARY KEY, name TEXT NOT NULL);
         INSERT INTO accounts VALUES (1, 1, 'Globex'), (2, 2, 'Globex'), (3, 1, 'Initech'), (4, 2, 'Umbrella');
         INSERT INTO plans VALUES (1, 'free'), (2, 'pro');",
    )?;

    // Until tenant resolution lands, contexts are minted by this temporary,
    // unchecked function; an application will get them from a membership check.
    let acme = tenant_diesel::__temporary::mint_unverified(TenantId::new(1));
    let contoso = tenant_diesel::__temporary::mint_unverified(TenantId::new(2));

    for (name, ctx) in [("acme", &acme), ("contoso", &contoso)] {
        let mut conn = TenantConn::new(&mut raw, ctx);
        let names: Vec<String> = list_accounts(ctx, &mut conn)?
            .into_iter()
            .map(|account| format!("{} (#{})", account.name, account.id))
            .collect();
        println!("{name} sees: {}", names.join(", "));
    }

    let mut conn = TenantConn::new(&mut raw, &acme);
    println!(
        "acme asks for account 4 (contoso's): {:?}",
        select_account(&acme, &mut conn, 4)?
    );
    println!(
        "acme asks for account 3 (its own): {:?}",
        select_account(&acme, &mut conn, 3)?
    );

    let plans: Vec<String> = global(plans::table)
        .select(plans::name)
        .order(plans::id)
        .load(&mut conn)?;
    println!("every tenant sees the plans: {}", plans.join(", "));

    let cache = TenantCache::new();
    cache.set(
        acme.cache_key("dashboard_summary"),
        "2 accounts".to_string(),
    );
    println!(
        "contoso's dashboard_summary in the cache: {:?}",
        cache.get(contoso.cache_key("dashboard_summary"))
    );
    Ok(())
}
