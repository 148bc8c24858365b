//! The README's quickstart, end to end on an in-memory SQLite database:
//! two tenants whose accounts share names, and what each of them sees.
//!
//! Run it with `cargo run -p tenant-diesel --example quickstart --features cache`
//! (the feature of its `TenantCache`).

use diesel::connection::SimpleConnection;
use tenant_diesel::prelude::*;
use tenant_diesel::{
    ActorId, InMemoryDirectory, MembershipCheck, ResolvedTenant, Tenant, TenantDirectory,
    TenantSlug,
};

// schema.rs, exactly as `diesel print-schema` writes it.
// `table!` writes its own SQL text (`AstPass::push_sql`), banned in handwritten code.
#[allow(clippy::disallowed_methods)]
mod schema {
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
}
use schema::{accounts, plans};

// models.rs
#[derive(Debug, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = accounts)]
pub struct Account {
    pub id: i64,
    pub tenant_id: i64,
    pub name: String,
}

global_table!(plans(id, name));

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

/// The application's membership table, in memory: (user, tenant slug).
struct Memberships(Vec<(&'static str, &'static str)>);

impl MembershipCheck for Memberships {
    type Error = std::convert::Infallible;

    fn is_member(&self, actor: &ActorId, tenant: &Tenant) -> Result<bool, Self::Error> {
        Ok(self
            .0
            .iter()
            .any(|(user, slug)| *user == actor.as_str() && *slug == tenant.slug.as_str()))
    }
}

fn tenant(id: i64, slug: &str) -> Tenant {
    Tenant {
        id: TenantId::new(id),
        slug: TenantSlug::parse(slug).expect("a valid slug"),
        name: slug.to_owned(),
        plan: "free".to_owned(),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut raw = SqliteConnection::establish(":memory:")?;
    raw.batch_execute(
        "CREATE TABLE accounts (id BIGINT PRIMARY KEY, tenant_id BIGINT NOT NULL, name TEXT NOT NULL);
         CREATE TABLE plans (id BIGINT PRIMARY KEY, name TEXT NOT NULL);
         INSERT INTO accounts VALUES (1, 1, 'Globex'), (2, 2, 'Globex'), (3, 1, 'Initech'), (4, 2, 'Umbrella');
         INSERT INTO plans VALUES (1, 'free'), (2, 'pro');",
    )?;

    // A context is minted only after the membership check: the resolver (here a
    // directory lookup by slug, as the subdomain resolver would do) yields a
    // `ResolvedTenant`, which opens nothing until `authorize` says yes.
    let directory = InMemoryDirectory::new([tenant(1, "acme"), tenant(2, "contoso")]);
    let memberships = Memberships(vec![("alice", "acme"), ("bob", "contoso")]);
    let resolve = |slug: &str| -> Result<ResolvedTenant, Box<dyn std::error::Error>> {
        let slug = TenantSlug::parse(slug)?;
        let found = directory.find_by_slug(&slug)?.ok_or("unknown tenant")?;
        Ok(ResolvedTenant::new(found))
    };
    let acme = resolve("acme")?.authorize(&ActorId::new("alice"), &memberships)?;
    let contoso = resolve("contoso")?.authorize(&ActorId::new("bob"), &memberships)?;
    match resolve("contoso")?.authorize(&ActorId::new("alice"), &memberships) {
        Ok(_) => unreachable!("alice is not a member of contoso"),
        Err(denied) => println!("alice on contoso: {denied}"),
    }

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
        &"2 accounts".to_string(),
    )?;
    println!(
        "contoso's dashboard_summary in the cache: {:?}",
        cache.get(contoso.cache_key("dashboard_summary"))?
    );
    Ok(())
}
