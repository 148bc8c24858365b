//! A crate that depends on tenant-diesel under another name (`td`), as a crate
//! that renames the dependency or reaches it through a facade does. Its models
//! say so with `#[tenant(crate = td)]`; its test runs a scoped query, a scoped
//! insert and an audited action through them. There is no `tenant_diesel` in
//! this crate's namespace, so a generated path that still names it fails to
//! compile.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// `tenant_sql_function!` expands to Diesel's `define_sql_function!` (whose SQL
// name it checks), which clippy.toml bans in handwritten code; clippy reports
// this lint for the crate, not the item.
#![allow(clippy::disallowed_macros)]

use diesel::connection::SimpleConnection;
use td::prelude::*;

/// Tables as `diesel print-schema` writes them.
// `table!` writes its own SQL text (`AstPass::push_sql`), banned in handwritten
// code, and items without docs.
#[allow(clippy::disallowed_methods, missing_docs)]
pub mod schema {
    diesel::table! {
        accounts (id) {
            id -> BigInt,
            tenant_id -> BigInt,
            name -> Text,
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

    diesel::allow_tables_to_appear_in_same_query!(teams, team_members);
}

pub use schema::{accounts, labels, team_members, teams};

/// A tenant-owned row, with tenant-diesel named `td` (the path form).
#[derive(Debug, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = accounts)]
#[tenant(crate = td)]
pub struct Account {
    /// Its key.
    pub id: i64,
    /// Its tenant.
    pub tenant_id: i64,
    /// Its name.
    pub name: String,
}

/// A new account (the string form of `crate`).
#[derive(Debug, Insertable, TenantValues)]
#[diesel(table_name = accounts)]
#[tenant(crate = "td")]
pub struct NewAccount {
    /// Its key.
    pub id: i64,
    /// Its name.
    pub name: String,
}

/// Changes to an account.
#[derive(Debug, AsChangeset, TenantValues)]
#[diesel(table_name = accounts)]
#[tenant(crate = td)]
pub struct AccountChanges {
    /// The new name.
    pub name: String,
}

/// A team, whose tenant column is `account_id`.
#[derive(Debug, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = teams)]
#[tenant(crate = td, column = account_id)]
pub struct Team {
    /// Its key.
    pub id: i64,
    /// Its tenant.
    pub account_id: i64,
    /// Its name.
    pub name: String,
}

/// A member of a team: its tenant is its team's (the expansion of a table
/// reached through its parent).
#[derive(Debug, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = team_members)]
#[tenant(crate = td, parent = teams, foreign_key = team_id)]
pub struct TeamMember {
    /// Its key.
    pub id: i64,
    /// Its team.
    pub team_id: i64,
    /// Its role.
    pub role: String,
}

/// A label, its tenant's or shared (the expansion of `shared_rows`).
#[derive(Debug, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = labels)]
#[tenant(crate = td, column = account_id, shared_rows)]
pub struct Label {
    /// Its key.
    pub id: i64,
    /// Its tenant, or none: shared.
    pub account_id: Option<i64>,
    /// Its name.
    pub name: String,
}

/// The application's SQL functions, declared through a renamed tenant-diesel.
#[allow(clippy::disallowed_methods)]
pub mod functions {
    td::tenant_sql_function! {
        crate = td;
        /// `lower(x)`.
        fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
    }
}

pub use functions::lower;

/// The tenant whose rows the test reads: Acme, id 1.
pub fn acme_tenant() -> td::Tenant {
    td::Tenant {
        id: TenantId::new(1),
        slug: td::TenantSlug::parse("acme").expect("a valid slug"),
        name: "Acme".into(),
        plan: "pro".into(),
    }
}

/// The membership table: alice is a member of Acme.
pub struct Members;

impl td::MembershipCheck for Members {
    type Error = std::convert::Infallible;

    fn is_member(&self, actor: &td::ActorId, tenant: &td::Tenant) -> Result<bool, Self::Error> {
        Ok(actor.as_str() == "alice" && tenant.id == TenantId::new(1))
    }
}

/// Acme's context for alice.
pub fn acme() -> TenantCtx {
    td::ResolvedTenant::new(acme_tenant())
        .authorize(&td::ActorId::new("alice"), &Members)
        .expect("alice is a member of acme")
}

/// An in-memory database with one account per tenant, a team and labels.
pub fn database() -> SqliteConnection {
    let mut raw = SqliteConnection::establish(":memory:").expect("open in-memory SQLite");
    raw.batch_execute(
        "CREATE TABLE accounts (id BIGINT PRIMARY KEY, tenant_id BIGINT NOT NULL, name TEXT NOT NULL);
         CREATE TABLE teams (id BIGINT PRIMARY KEY, account_id BIGINT NOT NULL, name TEXT NOT NULL);
         CREATE TABLE team_members (id BIGINT PRIMARY KEY, team_id BIGINT NOT NULL, role TEXT NOT NULL);
         CREATE TABLE labels (id BIGINT PRIMARY KEY, account_id BIGINT, name TEXT NOT NULL);
         INSERT INTO accounts VALUES (1, 1, 'Acme Ltd'), (2, 2, 'Contoso plc');
         INSERT INTO teams VALUES (1, 1, 'Acme ops'), (2, 2, 'Contoso ops');
         INSERT INTO team_members VALUES (1, 1, 'lead'), (2, 2, 'lead');
         INSERT INTO labels VALUES (1, 1, 'acme'), (2, 2, 'contoso'), (3, NULL, 'shared');",
    )
    .expect("create the schema");
    raw
}
