//! Fixtures shared by the compile-fail cases: a schema, its models and a
//! connection, so that each case shows only its one mistake.
#![forbid(unsafe_code)]
// The fixtures declare, on purpose, an SQL function through Diesel's banned macro
// (`coalesce_big`): the compile-fail cases show a scoped query refusing it. Clippy
// reports this lint for the crate, not the item.
#![allow(clippy::disallowed_macros)]

use diesel::connection::SimpleConnection;
use tenant_diesel::prelude::*;

/// Tables as `diesel print-schema` writes them.
// `table!` writes its own SQL text (`AstPass::push_sql`), banned in handwritten code.
#[allow(clippy::disallowed_methods)]
pub mod schema {
    diesel::table! {
        accounts (id) {
            id -> BigInt,
            tenant_id -> BigInt,
            name -> Text,
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
        plans (id) {
            id -> BigInt,
            name -> Text,
        }
    }

    diesel::table! {
        notes (id) {
            id -> BigInt,
            owner_id -> BigInt,
            account_id -> BigInt,
            body -> Text,
        }
    }

    diesel::table! {
        teams (id) {
            id -> BigInt,
            account_id -> BigInt,
            name -> Text,
        }
    }

    diesel::table! {
        team_members (id) {
            id -> BigInt,
            team_id -> BigInt,
            role -> Text,
        }
    }

    diesel::table! {
        labels (id) {
            id -> BigInt,
            account_id -> Nullable<BigInt>,
            name -> Text,
        }
    }

    diesel::joinable!(invoices -> accounts (account_id));
    diesel::joinable!(notes -> accounts (account_id));
    diesel::allow_tables_to_appear_in_same_query!(accounts, invoices, plans, notes);
    diesel::allow_tables_to_appear_in_same_query!(teams, team_members);
}

pub use schema::{accounts, invoices, labels, notes, plans, team_members, teams};

// Banned by clippy.toml on purpose: the compile-fail cases show a scoped query
// refusing a function that `tenant_sql_function!` did not declare.
#[allow(clippy::disallowed_methods)]
mod undeclared {
    diesel::define_sql_function! {
        /// `COALESCE(a, b)` over BIGINTs: a SQL function the library was not told about.
        fn coalesce_big(a: diesel::sql_types::Nullable<diesel::sql_types::BigInt>, b: diesel::sql_types::BigInt) -> diesel::sql_types::BigInt;
    }
}
pub use undeclared::coalesce_big;

/// A tenant-owned row.
#[derive(Debug, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = accounts)]
pub struct Account {
    pub id: i64,
    pub tenant_id: i64,
    pub name: String,
}

/// A tenant-owned row that points at an account.
#[derive(Debug, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = invoices)]
pub struct Invoice {
    pub id: i64,
    pub tenant_id: i64,
    pub account_id: i64,
    pub amount: i64,
}

tenant_joinable!(invoices -> accounts (account_id));
tenant_joinable!(notes -> accounts (account_id));

/// A tenant-owned row whose tenant column is not `tenant_id`.
#[derive(Debug, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = notes)]
#[tenant(column = owner_id)]
pub struct Note {
    pub id: i64,
    pub owner_id: i64,
    pub account_id: i64,
    pub body: String,
}

/// A team, whose tenant column is `account_id`.
#[derive(Debug, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = teams)]
#[tenant(column = account_id)]
pub struct Team {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
}

/// A member of a team: a row whose tenant is its team's.
#[derive(Debug, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = team_members)]
#[tenant(parent = teams, foreign_key = team_id)]
pub struct TeamMember {
    pub id: i64,
    pub team_id: i64,
    pub role: String,
}

/// A label: its own tenant's, or (a `NULL` tenant) shared by every tenant.
#[derive(Debug, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = labels)]
#[tenant(column = account_id, shared_rows)]
pub struct Label {
    pub id: i64,
    pub account_id: Option<i64>,
    pub name: String,
}

/// A new account, checked to leave the tenant column alone.
#[derive(Debug, Insertable, TenantValues)]
#[diesel(table_name = accounts)]
pub struct NewAccount {
    pub id: i64,
    pub name: String,
}

/// Changes to an account, checked to leave the tenant column alone.
#[derive(Debug, AsChangeset, TenantValues)]
#[diesel(table_name = accounts)]
pub struct AccountChanges {
    pub name: String,
}

/// A row every tenant shares.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = plans)]
pub struct Plan {
    pub id: i64,
    pub name: String,
}

global_table!(plans(id, name));

/// Acme, as the directory would return it.
pub fn acme_tenant() -> tenant_diesel::Tenant {
    tenant_diesel::Tenant {
        id: TenantId::new(1),
        slug: tenant_diesel::TenantSlug::parse("acme").expect("a valid slug"),
        name: "Acme".into(),
        plan: "pro".into(),
    }
}

/// The fixtures' membership table: alice is a member of Acme.
pub struct Members;

impl tenant_diesel::MembershipCheck for Members {
    type Error = std::convert::Infallible;

    fn is_member(
        &self,
        actor: &tenant_diesel::ActorId,
        tenant: &tenant_diesel::Tenant,
    ) -> Result<bool, Self::Error> {
        Ok(actor.as_str() == "alice" && tenant.id == TenantId::new(1))
    }
}

/// Acme's context for alice, minted the only way an application can: the
/// resolved tenant and a membership check.
pub fn acme() -> TenantCtx {
    tenant_diesel::ResolvedTenant::new(acme_tenant())
        .authorize(&tenant_diesel::ActorId::new("alice"), &Members)
        .expect("alice is a member of acme")
}

/// An in-memory database with the schema and one account per tenant.
pub fn database() -> SqliteConnection {
    let mut raw = SqliteConnection::establish(":memory:").expect("open in-memory SQLite");
    raw.batch_execute(
        "CREATE TABLE accounts (id BIGINT PRIMARY KEY, tenant_id BIGINT NOT NULL, name TEXT NOT NULL);
         CREATE TABLE invoices (id BIGINT PRIMARY KEY, tenant_id BIGINT NOT NULL, account_id BIGINT NOT NULL, amount BIGINT NOT NULL);
         CREATE TABLE plans (id BIGINT PRIMARY KEY, name TEXT NOT NULL);
         INSERT INTO accounts VALUES (1, 1, 'Acme Ltd'), (2, 2, 'Contoso plc');
         INSERT INTO plans VALUES (1, 'free');",
    )
    .expect("create the schema");
    raw
}

/// Declares, in the calling case, a tenant table `ledgers` with its model `Ledger`
/// and a plain table `rates`: cases that implement the library's traits by hand
/// need tables of their own crate (the orphan rule refuses impls for the
/// fixtures' tables).
#[macro_export]
macro_rules! local_tables {
    () => {
        diesel::table! {
            ledgers (id) {
                id -> BigInt,
                tenant_id -> BigInt,
                name -> Text,
            }
        }

        diesel::table! {
            rates (id) {
                id -> BigInt,
                value -> BigInt,
            }
        }

        diesel::allow_tables_to_appear_in_same_query!(ledgers, rates);

        #[derive(Queryable, TenantScoped)]
        #[diesel(table_name = ledgers)]
        struct Ledger {
            id: i64,
            tenant_id: i64,
            name: String,
        }
    };
}
