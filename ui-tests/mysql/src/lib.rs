//! Fixtures of the MySQL compile-fail cases: a schema, its models and a
//! connection (which the cases never open), so that each case shows only its one
//! mistake.
#![forbid(unsafe_code)]

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
}

pub use schema::accounts;

/// A tenant-owned row.
#[derive(Debug, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = accounts)]
pub struct Account {
    pub id: i64,
    pub tenant_id: i64,
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

/// Acme's context for alice, minted the only way an application can.
pub fn acme() -> TenantCtx {
    tenant_diesel::ResolvedTenant::new(tenant_diesel::Tenant {
        id: TenantId::new(1),
        slug: tenant_diesel::TenantSlug::parse("acme").expect("a valid slug"),
        name: "Acme".into(),
        plan: "pro".into(),
    })
    .authorize(&tenant_diesel::ActorId::new("alice"), &Members)
    .expect("alice is a member of acme")
}

/// A MySQL connection (the cases fail to compile, so it is never opened).
pub fn mysql_database() -> diesel::mysql::MysqlConnection {
    diesel::mysql::MysqlConnection::establish("mysql://app_user@localhost/app")
        .expect("connect to MySQL")
}

/// An async MySQL connection (the cases fail to compile, so it is never opened).
pub async fn async_mysql_database() -> diesel_async::AsyncMysqlConnection {
    <diesel_async::AsyncMysqlConnection as diesel_async::AsyncConnection>::establish(
        "mysql://app_user@localhost/app",
    )
    .await
    .expect("connect to MySQL")
}
