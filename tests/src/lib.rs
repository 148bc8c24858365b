//! Fixtures for the integration tests: a schema as `diesel print-schema` writes it,
//! its models, and a database with two tenants whose rows share names and ids.
#![forbid(unsafe_code)]

use tenant_diesel::prelude::*;
use tenant_diesel::{ActorId, MembershipCheck, ResolvedTenant, Tenant, TenantIdValue, TenantSlug};

/// The schema, exactly as `diesel print-schema` writes it.
// `table!` writes its own SQL text (`AstPass::push_sql`), banned in handwritten code.
#[allow(clippy::disallowed_methods)]
pub mod schema {
    diesel::table! {
        tenants (id) {
            id -> BigInt,
            slug -> Text,
            name -> Text,
            plan -> Text,
        }
    }

    diesel::table! {
        plans (id) {
            id -> BigInt,
            name -> Text,
        }
    }

    diesel::table! {
        accounts (id) {
            id -> BigInt,
            tenant_id -> BigInt,
            name -> Text,
            balance -> BigInt,
        }
    }

    diesel::table! {
        notes (tenant_id, id) {
            tenant_id -> BigInt,
            id -> BigInt,
            body -> Text,
        }
    }

    // `diesel print-schema` writes no `joinable!` for a composite foreign key.
    diesel::table! {
        comments (tenant_id, id) {
            tenant_id -> BigInt,
            id -> BigInt,
            note_id -> BigInt,
            body -> Text,
        }
    }

    diesel::table! {
        invoices (id) {
            id -> BigInt,
            tenant_id -> BigInt,
            account_id -> BigInt,
            amount -> BigInt,
        }
    }

    diesel::table! {
        subscriptions (id) {
            id -> BigInt,
            tenant_id -> BigInt,
            plan_id -> BigInt,
        }
    }

    // The attack of a second declaration: the accounts table again, under another
    // Rust name, to be declared shared. No type links it to `accounts`; the
    // schema check (`verify_isolation` with `RlsMigrations::global_table`) does.
    diesel::table! {
        #[sql_name = "accounts"]
        accounts_everyone (id) {
            id -> BigInt,
            tenant_id -> BigInt,
            name -> Text,
            balance -> BigInt,
        }
    }

    // A shared table whose tenant column was marked as not one.
    diesel::table! {
        shared_settings (id) {
            id -> BigInt,
            tenant_id -> BigInt,
        }
    }

    diesel::joinable!(invoices -> accounts (account_id));
    diesel::joinable!(subscriptions -> plans (plan_id));
    diesel::allow_tables_to_appear_in_same_query!(
        tenants,
        plans,
        accounts,
        notes,
        comments,
        invoices,
        subscriptions
    );
}

pub use schema::{
    accounts, accounts_everyone, comments, invoices, notes, plans, shared_settings, subscriptions,
    tenants,
};

pub mod audit;
pub mod mysql;
pub mod postgres;
pub mod process;
pub mod redis;
pub mod sqlite;
pub mod stores;
mod suites;

/// A tenant-owned row with a global primary key.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = accounts)]
pub struct Account {
    pub id: i64,
    pub tenant_id: i64,
    pub name: String,
    pub balance: i64,
}

/// A tenant-owned row numbered per tenant: both tenants have note 1 and note 2.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = notes)]
pub struct Note {
    #[diesel(column_name = tenant_id)]
    pub owner: i64,
    pub id: i64,
    pub body: String,
}

/// A comment on a note: a composite key `(tenant_id, id)` and a composite
/// foreign key to the note's.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = comments)]
pub struct Comment {
    pub tenant_id: i64,
    pub id: i64,
    pub note_id: i64,
    pub body: String,
}

/// A tenant-owned row that points at an account.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = invoices)]
pub struct Invoice {
    pub id: i64,
    pub tenant_id: i64,
    pub account_id: i64,
    pub amount: i64,
}

/// A tenant's subscription to a global plan.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = subscriptions)]
pub struct Subscription {
    pub id: i64,
    pub tenant_id: i64,
    pub plan_id: i64,
}

tenant_joinable!(invoices -> accounts (account_id));
// Composite keys on both sides: `ON comments.note_id = notes.id AND
// comments.tenant_id = notes.tenant_id`.
tenant_joinable!(comments -> notes (note_id));
global_joinable!(subscriptions -> plans (plan_id));

/// A new account: no tenant field, the scope stamps it.
#[derive(Debug, Clone, Insertable, TenantValues)]
#[diesel(table_name = accounts)]
pub struct NewAccount {
    pub id: i64,
    pub name: String,
    pub balance: i64,
}

/// A new invoice: no tenant field, the scope stamps it.
#[derive(Debug, Clone, Insertable, TenantValues)]
#[diesel(table_name = invoices)]
pub struct NewInvoice {
    pub id: i64,
    pub account_id: i64,
    pub amount: i64,
}

/// The columns of an account that an update may change.
#[derive(Debug, Clone, AsChangeset, TenantValues)]
#[diesel(table_name = accounts)]
pub struct AccountChanges {
    pub name: Option<String>,
    pub balance: Option<i64>,
}

/// A row every tenant shares.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = plans)]
pub struct Plan {
    pub id: i64,
    pub name: String,
}

global_table!(plans(id, name), tenants(id, slug, name, plan));

// The second declaration, declared shared on purpose (see the schema above).
global_table!(accounts_everyone(
    id,
    #[not_a_tenant_column]
    tenant_id,
    name,
    balance
));
global_table!(shared_settings(
    id,
    #[not_a_tenant_column]
    tenant_id
));

/// Acme's tenant id.
pub const ACME: i64 = 1;
/// Contoso's tenant id.
pub const CONTOSO: i64 = 2;

/// The tests' membership check: the test user belongs to every tenant. Membership
/// itself is tested in `tenant-core`; these tests are about what a context opens.
#[derive(Debug)]
pub struct TestMembers;

impl<V: TenantIdValue> MembershipCheck<V> for TestMembers {
    type Error = std::convert::Infallible;

    fn is_member(&self, _: &ActorId, _: &Tenant<V>) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// A context for `tenant`, minted the only way there is: resolved, then authorized.
pub fn ctx(tenant: i64) -> TenantCtx {
    let slug = match tenant {
        ACME => "acme",
        CONTOSO => "contoso",
        _ => "umbrella",
    };
    ResolvedTenant::new(Tenant {
        id: TenantId::new(tenant),
        slug: TenantSlug::parse(slug).expect("a valid slug"),
        name: slug.to_owned(),
        plan: "free".to_owned(),
    })
    .authorize(&ActorId::new("test-user"), &TestMembers)
    .expect("the test user is a member")
}

/// A context for the tenant `id` of a schema whose tenant ids are `V` (`i32`,
/// `i64` or `uuid::Uuid`), named `slug`: resolved, then authorized.
pub fn ctx_of<V: TenantIdValue>(id: V, slug: &str) -> TenantCtx<V> {
    ResolvedTenant::new(Tenant {
        id: TenantId::new(id),
        slug: TenantSlug::parse(slug).expect("a valid slug"),
        name: slug.to_owned(),
        plan: "free".to_owned(),
    })
    .authorize(&ActorId::new("test-user"), &TestMembers)
    .expect("the test user is a member")
}

/// The rows both backends start with.
///
/// The tenants' accounts interleave (ids 1..=6, odd for Acme, even for Contoso)
/// and share names ("Globex", "Initech"); both tenants have notes 1 and 2. Acme's
/// invoice 5 points at Contoso's account 2, as a bug or an attack would leave it:
/// no join may follow that reference. Tenant 3 (Umbrella) starts empty.
pub const SEED_SQL: &str = "
    INSERT INTO tenants VALUES (1, 'acme', 'Acme', 'pro'), (2, 'contoso', 'Contoso', 'free'), (3, 'umbrella', 'Umbrella', 'free');
    INSERT INTO plans VALUES (1, 'free'), (2, 'pro');
    INSERT INTO accounts VALUES
        (1, 1, 'Globex', 100), (2, 2, 'Globex', 200),
        (3, 1, 'Initech', 300), (4, 2, 'Initech', 400),
        (5, 1, 'Acme Anvils', 500), (6, 2, 'Contoso Cables', 600);
    INSERT INTO notes VALUES
        (1, 1, 'acme note one'), (1, 2, 'acme note two'),
        (2, 1, 'contoso note one'), (2, 2, 'contoso note two');
    INSERT INTO comments VALUES
        (1, 1, 1, 'acme on note one'), (1, 2, 2, 'acme on note two'),
        (2, 1, 1, 'contoso on note one');
    INSERT INTO invoices VALUES
        (1, 1, 1, 10), (2, 2, 2, 20), (3, 1, 3, 30), (4, 2, 4, 40),
        (5, 1, 2, 50);
    INSERT INTO subscriptions VALUES (1, 1, 2), (2, 2, 1);
";

/// Records the SQL of every statement `conn` starts, to see what was sent. A
/// statement that cannot be written (a scalar subquery of another tenant
/// refuses to be) is recorded as `<not written>`: Diesel starts it, and its
/// building fails before anything reaches the database.
pub fn record_statements(
    conn: &mut impl diesel::Connection,
) -> std::sync::Arc<std::sync::Mutex<Vec<String>>> {
    use diesel::connection::{Instrumentation, InstrumentationEvent};
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = std::sync::Arc::clone(&log);
    let recorder = move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            use std::fmt::Write;
            let mut sql = String::new();
            if write!(sql, "{query}").is_err() {
                sql = "<not written>".to_owned();
            }
            sink.lock().unwrap().push(sql);
        }
    };
    conn.set_instrumentation(Box::new(recorder) as Box<dyn Instrumentation>);
    log
}
