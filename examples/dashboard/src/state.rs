//! The router's state, and what it tells the library's `TenantCtx` extractor:
//! how to resolve a tenant, where tenants live and who is a member of which,
//! both read with diesel-async (`AsyncTenantDirectory`, `AsyncMembershipCheck`),
//! so a request never blocks a worker to get its tenant.

use std::ops::Deref;
use std::sync::Arc;

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use tenant_diesel::audit::{Auditor, DenialAudit};
use tenant_diesel::axum::TenantState;
use tenant_diesel::resolve::TenantResolver;
use tenant_diesel::{
    ActorId, AsyncMembershipCheck, AsyncTenantDirectory, Tenant, TenantCache, TenantId, TenantSlug,
};

use crate::auth::CurrentUser;
use crate::db::Db;
use crate::error::AppError;
use crate::models::Summary;
use crate::schema::{memberships, tenants, users};
use crate::session::Sessions;
use crate::store::SharedStore;

/// Everything a handler can reach.
pub struct Inner {
    /// The database.
    pub db: Db,
    /// Subdomain resolution, `required = false` so that the apex is the
    /// `public` default outcome (redirected to www) rather than a 404.
    pub resolver: TenantResolver,
    /// The audit log.
    pub audit: Auditor,
    /// The refused requests in the audit log, rate-limited per client: the
    /// library's extractor records its own (bad host, unknown tenant, non-member)
    /// and the routes theirs (a forged cookie).
    pub denials: DenialAudit,
    /// Login sessions.
    pub sessions: Sessions,
    /// Per-tenant session state (the selected account).
    pub store: SharedStore,
    /// `memory` or `redis`: which store `store` is.
    pub store_kind: &'static str,
    /// The per-tenant dashboard summary.
    pub cache: TenantCache<Summary, SharedStore>,
    /// `http://www.<domain>:<port>/`, where the apex and `public` go.
    pub www_url: String,
    /// `www.<domain>`, lowercase, no port: the one host name of the www page
    /// and the admin page.
    pub www_host: String,
    /// The login's password checks, bounded and of one cost.
    pub password_checks: crate::password_checks::PasswordChecks,
    /// Failed logins per account and per source, checked before the password.
    pub login_throttle: crate::login_throttle::LoginThrottle,
}

/// The router state: cheap to clone.
#[derive(Clone)]
pub struct App(pub Arc<Inner>);

impl Deref for App {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// What the library's `TenantCtx` and `Resolution` extractors ask: the resolver,
/// where tenants live, and who is a member of which.
impl TenantState for App {
    type Directory = Db;
    type Membership = Db;
    type User = CurrentUser;

    fn resolver(&self) -> &TenantResolver {
        &self.resolver
    }
    fn directory(&self) -> &Db {
        &self.db
    }
    fn membership(&self) -> &Db {
        &self.db
    }
    fn denied_redirect(&self) -> Option<&str> {
        Some("/no-access")
    }
    fn denial_audit(&self) -> Option<&DenialAudit> {
        Some(&self.denials)
    }
}

/// The tenants table, read over an async connection.
impl AsyncTenantDirectory for Db {
    type Error = AppError;

    async fn find_by_slug(&self, slug: &TenantSlug) -> Result<Option<Tenant>, AppError> {
        Db::find_by_slug(self, slug).await
    }
}

/// The memberships table, read over an async connection: the library's
/// extractor asks it, and mints the context only for a `true`.
impl AsyncMembershipCheck for Db {
    type Error = AppError;

    async fn is_member(&self, actor: &ActorId, tenant: &Tenant) -> Result<bool, AppError> {
        Db::is_member(self, actor, tenant).await
    }
}

impl Db {
    /// The tenant named `slug`: the directory lookup, on a plain connection (the
    /// tenants table is global).
    pub async fn find_by_slug(&self, slug: &TenantSlug) -> Result<Option<Tenant>, AppError> {
        let row: Option<(i64, String, String, String)> = crate::with_plain_conn!(self, |conn| {
            tenants::table
                .filter(tenants::slug.eq(slug.as_str()))
                .select((tenants::id, tenants::slug, tenants::name, tenants::plan))
                .first(&mut *conn)
                .await
                .optional()?
        });
        row.map(|(id, slug, name, plan)| {
            Ok(Tenant {
                id: TenantId::new(id),
                slug: TenantSlug::parse(&slug)?,
                name,
                plan,
            })
        })
        .transpose()
    }

    /// Whether `actor` is a member of `tenant`. Runs before any tenant is known,
    /// so on a plain connection: the memberships table is global.
    pub async fn is_member(&self, actor: &ActorId, tenant: &Tenant) -> Result<bool, AppError> {
        let mine = memberships::table
            .inner_join(users::table.on(users::id.eq(memberships::user_id)))
            .filter(users::username.eq(actor.as_str()))
            .filter(memberships::tenant_id.eq(tenant.id.get()));
        Ok(crate::with_plain_conn!(self, |conn| {
            diesel::select(diesel::dsl::exists(mine))
                .get_result(&mut *conn)
                .await?
        }))
    }
}
