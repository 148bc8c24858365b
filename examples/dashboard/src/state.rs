//! The router's state, and how a request gets its tenant without blocking: the
//! library's resolver names the tenant, the tenants table is read and the
//! membership checked with diesel-async, and `ResolvedTenant::authorize_async`
//! mints the context.
//!
//! The library's own `TenantCtx` and `Resolution` extractors ask a
//! `TenantDirectory` and a `MembershipCheck`, whose methods are synchronous: over
//! a database they would block an async worker on every request. So the
//! dashboard runs the same steps itself, in the same order, with async queries;
//! the membership verdict is still the library's (`AsyncMembershipCheck`).

use std::ops::Deref;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use tenant_diesel::audit::Auditor;
use tenant_diesel::axum::TenantRejection;
use tenant_diesel::resolve::{Resolution, ResolveError, TenantResolver};
use tenant_diesel::{
    ActorId, AsyncMembershipCheck, ResolvedTenant, Tenant, TenantCache, TenantCtx, TenantId,
    TenantSlug,
};

use crate::auth::CurrentUser;
use crate::db::Db;
use crate::error::AppError;
use crate::models::Summary;
use crate::schema::{memberships, tenants, users};
use crate::session::Sessions;
use crate::store::Store;

/// Everything a handler can reach.
pub struct Inner {
    /// The database.
    pub db: Db,
    /// Subdomain resolution, `required = false` so that the apex is the
    /// `public` default outcome (redirected to www) rather than a 404.
    pub resolver: TenantResolver,
    /// The audit log.
    pub audit: Auditor,
    /// Login sessions.
    pub sessions: Sessions,
    /// Per-tenant session state (the selected account).
    pub store: Arc<Store>,
    /// The per-tenant dashboard summary.
    pub cache: TenantCache<Summary, Arc<Store>>,
    /// `http://www.<domain>:<port>/`, where the apex and `public` go.
    pub www_url: String,
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

/// Where a user who is not a member of the request's tenant is sent.
const DENIED_REDIRECT: &str = "/no-access";

/// What the request names: a tenant the tenants table knows, or the default
/// outcome (the apex). The async twin of the library's `Resolution` extractor,
/// with the same rejections: a malformed or foreign host is a 400, an unknown
/// tenant a 404, a failing lookup a 500.
pub struct Resolved(pub Resolution);

impl FromRequestParts<App> for Resolved {
    type Rejection = TenantRejection;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, TenantRejection> {
        let slug = match app.resolver.resolve_slug(parts) {
            Err(e) => return Err(TenantRejection::Resolve(e)),
            Ok(Err(default)) => return Ok(Self(Resolution::Default(default))),
            Ok(Ok(slug)) => slug,
        };
        match app.db.find_by_slug(&slug).await {
            Ok(Some(tenant)) => Ok(Self(Resolution::Tenant(ResolvedTenant::new(tenant)))),
            Ok(None) => Err(TenantRejection::Resolve(ResolveError::UnknownTenant(slug))),
            Err(e) => Err(TenantRejection::Resolve(ResolveError::Directory(Box::new(
                e,
            )))),
        }
    }
}

impl App {
    /// Mints the context for `user` in `resolved` if the memberships table says
    /// the user is a member: a non-member is sent to `/no-access`, a failing
    /// check is a 500.
    pub async fn authorize(
        &self,
        resolved: &ResolvedTenant,
        user: &CurrentUser,
    ) -> Result<TenantCtx, TenantRejection> {
        resolved
            .authorize_async(user, &self.db)
            .await
            .map_err(|denied| TenantRejection::Denied {
                denied,
                redirect: Some(DENIED_REDIRECT.to_owned()),
            })
    }
}

/// The memberships table, read over an async connection: the library's
/// `authorize_async` asks it, and mints the context only for a `true`.
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
