//! axum 0.8 integration (feature `axum`): extract a [`TenantCtx`] in a handler.
//!
//! The extractor resolves the tenant from the request, extracts the user with the
//! application's own extractor, asks the application's membership check, and only
//! then hands the handler a context. Its rejection, [`TenantRejection`], answers:
//!
//! | outcome | response |
//! |---|---|
//! | missing, duplicated, malformed or foreign host; malformed tenant header or session | 400 |
//! | no tenant named (with `required`), unknown tenant, or the default outcome | 404 |
//! | the user extractor rejects | that rejection's response (e.g. 401) |
//! | not a member | 403, or a 303 redirect to [`TenantState::denied_redirect`] |
//! | the directory or the membership check fails | 500 |
//!
//! A handler that wants to act on the default outcome (redirect the apex to `www`)
//! extracts [`Resolution`] instead, or `Result<TenantCtx, TenantRejection>` and
//! matches [`TenantRejection::Default`].
//!
//! Every refusal that is an attempt at a tenant (a malformed, duplicated or
//! foreign host; a request that names no tenant or an unknown one; a user who is
//! not a member) goes to the audit log when the state returns a
//! [`DenialAudit`] from [`TenantState::denial_audit`]:
//! with the host, the tenant and the actor when known, and the client's address
//! when the server was started with
//! `into_make_service_with_connect_info::<SocketAddr>()`. A request the user
//! extractor rejects is the application's to audit (it knows a forged cookie
//! from a missing one); a failing directory is an error, not a denial.
//!
//! Pages for one tenant and one session must not be kept by a shared cache:
//! layer [`private_response`] over the routes that hand out contexts
//! (`.layer(axum::middleware::map_response(tenant_core::axum::private_response))`).
//!
//! ```
//! use std::sync::Arc;
//! use axum::extract::FromRequestParts;
//! use http::{request::Parts, StatusCode};
//! use tenant_core::axum::TenantState;
//! use tenant_core::resolve::TenantResolver;
//! use tenant_core::{Actor, ActorId, InMemoryDirectory, MembershipCheck, Tenant, TenantConfig, TenantCtx};
//!
//! struct Everyone;
//! impl MembershipCheck for Everyone {
//!     type Error = std::convert::Infallible;
//!     fn is_member(&self, _: &ActorId, _: &Tenant) -> Result<bool, Self::Error> { Ok(true) }
//! }
//!
//! struct User(ActorId);
//! impl Actor for User {
//!     fn actor_id(&self) -> ActorId { self.0.clone() }
//! }
//! impl FromRequestParts<App> for User {
//!     type Rejection = StatusCode;
//!     async fn from_request_parts(parts: &mut Parts, _: &App) -> Result<Self, StatusCode> {
//!         let id = parts.headers.get("x-user").and_then(|v| v.to_str().ok());
//!         id.map(|id| User(ActorId::new(id))).ok_or(StatusCode::UNAUTHORIZED)
//!     }
//! }
//!
//! #[derive(Clone)]
//! struct App(Arc<(TenantResolver, InMemoryDirectory)>);
//! impl TenantState for App {
//!     type Directory = InMemoryDirectory;
//!     type Membership = Everyone;
//!     type User = User;
//!     fn resolver(&self) -> &TenantResolver { &self.0 .0 }
//!     fn directory(&self) -> &InMemoryDirectory { &self.0 .1 }
//!     fn membership(&self) -> &Everyone { &Everyone }
//! }
//!
//! async fn dashboard(ctx: TenantCtx) -> String {
//!     format!("tenant {}", ctx.tenant_id())
//! }
//!
//! let config = TenantConfig::from_toml(r#"domain = "example.com""#).unwrap();
//! let resolver = TenantResolver::from_config(&config).unwrap();
//! let app: axum::Router = axum::Router::new()
//!     .route("/", axum::routing::get(dashboard))
//!     .with_state(App(Arc::new((resolver, InMemoryDirectory::default()))));
//! ```

use axum::extract::FromRequestParts;
use axum::response::{IntoResponse, Redirect, Response};
use http::header::{CACHE_CONTROL, VARY};
use http::request::Parts;
use http::{HeaderValue, StatusCode};

use crate::actor::Actor;
use crate::audit::DenialAudit;
use crate::ctx::TenantCtx;
#[allow(unused_imports)] // named in the docs
use crate::directory::{AsyncTenantDirectory, TenantDirectory};
use crate::id::TenantIdValue;
#[allow(unused_imports)] // named in the docs
use crate::membership::{AccessDenied, AsyncMembershipCheck, MembershipCheck};
use crate::resolve::{DefaultTenant, Resolution, ResolveError, TenantResolver};

/// What the router state provides for the [`TenantCtx`] extractor.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not say how to resolve and authorize tenants",
    label = "a `TenantCtx` cannot be extracted with this state",
    note = "implement `tenant_diesel::axum::TenantState` for your router state: it provides a `TenantResolver`, a `TenantDirectory`, a `MembershipCheck` and the user extractor"
)]
///
/// `V` is the type of the tenants' ids (`i64` unless said otherwise): the
/// extractor then gives a `TenantCtx<V>`.
pub trait TenantState<V: TenantIdValue = i64>: Send + Sync + Sized + 'static {
    /// Where tenants are looked up: a [`TenantDirectory`], or an
    /// [`AsyncTenantDirectory`] over an async connection.
    type Directory: AsyncTenantDirectory<V> + Sync;
    /// The membership check that gates every context: a [`MembershipCheck`], or
    /// an [`AsyncMembershipCheck`] over an async connection.
    type Membership: AsyncMembershipCheck<V> + Sync;
    /// The application's authenticated user, extracted with its own extractor.
    type User: FromRequestParts<Self> + Actor + Send;

    /// How the tenant is resolved.
    fn resolver(&self) -> &TenantResolver;

    /// The tenant directory.
    fn directory(&self) -> &Self::Directory;

    /// The membership check.
    fn membership(&self) -> &Self::Membership;

    /// Where a user who is not a member is sent (303 See Other); `None`, the default,
    /// answers 403.
    fn denied_redirect(&self) -> Option<&str> {
        None
    }

    /// Where refused requests are recorded (see the [module docs](self)); `None`,
    /// the default, records none.
    fn denial_audit(&self) -> Option<&DenialAudit> {
        None
    }
}

/// Why the [`TenantCtx`] extractor refused a request; see the [module docs](self)
/// for the response each variant gives.
#[non_exhaustive]
pub enum TenantRejection {
    /// The request did not resolve to a known tenant.
    Resolve(ResolveError),
    /// The request names no tenant and `required` is off: the default outcome, which
    /// a handler asking for a `TenantCtx` does not get.
    Default(DefaultTenant),
    /// The user extractor rejected the request; this is its response.
    Unauthenticated(Response),
    /// The user may not act for the tenant.
    Denied {
        /// Why.
        denied: AccessDenied,
        /// Where to send the user, if configured.
        redirect: Option<String>,
    },
}

impl std::fmt::Debug for TenantRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Resolve(e) => f.debug_tuple("Resolve").field(e).finish(),
            Self::Default(d) => f.debug_tuple("Default").field(d).finish(),
            Self::Unauthenticated(r) => {
                f.debug_tuple("Unauthenticated").field(&r.status()).finish()
            }
            Self::Denied { denied, redirect } => f
                .debug_struct("Denied")
                .field("denied", denied)
                .field("redirect", redirect)
                .finish(),
        }
    }
}

impl TenantRejection {
    /// The status code this rejection answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Resolve(e) if e.is_malformed() => StatusCode::BAD_REQUEST,
            Self::Resolve(ResolveError::NoTenant | ResolveError::UnknownTenant(_)) => {
                StatusCode::NOT_FOUND
            }
            Self::Resolve(_) => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Default(_) => StatusCode::NOT_FOUND,
            Self::Unauthenticated(response) => response.status(),
            Self::Denied {
                denied: AccessDenied::NotAMember { .. },
                redirect: Some(_),
            } => StatusCode::SEE_OTHER,
            Self::Denied {
                denied: AccessDenied::NotAMember { .. },
                redirect: None,
            } => StatusCode::FORBIDDEN,
            Self::Denied { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for TenantRejection {
    fn into_response(self) -> Response {
        let status = self.status();
        // Bodies are fixed words: nothing the client sent (host, slug) is echoed back.
        let body = match self {
            Self::Unauthenticated(response) => return response,
            Self::Denied {
                denied: AccessDenied::NotAMember { .. },
                redirect: Some(to),
            } => return Redirect::to(&to).into_response(),
            Self::Resolve(e) if e.is_malformed() => "malformed request",
            Self::Resolve(ResolveError::NoTenant) | Self::Default(_) => "no tenant",
            Self::Resolve(ResolveError::UnknownTenant(_)) => "unknown tenant",
            Self::Denied {
                denied: AccessDenied::NotAMember { .. },
                ..
            } => "forbidden",
            Self::Resolve(_) | Self::Denied { .. } => "internal error",
        };
        (status, body).into_response()
    }
}

impl<V: TenantIdValue, S: TenantState<V>> FromRequestParts<S> for Resolution<V> {
    type Rejection = TenantRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let resolved = state
            .resolver()
            .resolve_async(parts, state.directory())
            .await;
        match resolved {
            Ok(resolution) => Ok(resolution),
            Err(error) => {
                if let Some(action) = denial_action(&error) {
                    record_denial(state, parts, action, None, None).await;
                }
                Err(TenantRejection::Resolve(error))
            }
        }
    }
}

/// The audit action of a resolution error that is a refused attempt; `None` for
/// a failing directory (an error of ours, not a denial).
fn denial_action(error: &ResolveError) -> Option<&'static str> {
    match error {
        e if e.is_malformed() => Some("denied.malformed_request"),
        ResolveError::NoTenant => Some("denied.no_tenant"),
        ResolveError::UnknownTenant(_) => Some("denied.unknown_tenant"),
        _ => None,
    }
}

/// Records a denial of the request in `parts`, if the state audits denials.
async fn record_denial<V: TenantIdValue, S: TenantState<V>>(
    state: &S,
    parts: &Parts,
    action: &str,
    actor: Option<&crate::actor::ActorId>,
    tenant: Option<crate::id::AnyTenantId>,
) {
    let Some(audit) = state.denial_audit() else {
        return;
    };
    audit
        .record(DenialAudit::request_event(action, actor, tenant, parts))
        .await;
}

/// Marks `response` as one tenant's, for one session: `Cache-Control: private,
/// no-store` and `Vary: Cookie, Host` (added to any `Vary` already there), so that
/// no shared cache serves it to another tenant or user. Layer it over the routes
/// that hand out contexts:
///
/// ```
/// # async fn dashboard() -> &'static str { "" }
/// let routes: axum::Router = axum::Router::new()
///     .route("/dashboard", axum::routing::get(dashboard))
///     .layer(axum::middleware::map_response(tenant_core::axum::private_response));
/// ```
pub async fn private_response(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    headers.append(VARY, HeaderValue::from_static("Cookie, Host"));
    response
}

impl<V: TenantIdValue, S: TenantState<V>> FromRequestParts<S> for TenantCtx<V> {
    type Rejection = TenantRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        // The tenant is resolved before the user is authenticated, so a bad host or an
        // unknown tenant gets the same answer whoever asks.
        let resolved = match Resolution::<V>::from_request_parts(parts, state).await? {
            Resolution::Tenant(resolved) => resolved,
            Resolution::Default(default) => return Err(TenantRejection::Default(default)),
        };
        let user = S::User::from_request_parts(parts, state)
            .await
            .map_err(|rejection| TenantRejection::Unauthenticated(rejection.into_response()))?;
        let tenant = resolved.tenant().id.erase();
        match resolved.authorize_async(&user, state.membership()).await {
            Ok(ctx) => Ok(ctx),
            Err(denied) => {
                if let AccessDenied::NotAMember { actor, .. } = &denied {
                    record_denial(
                        state,
                        parts,
                        "denied.not_a_member",
                        Some(actor),
                        Some(tenant),
                    )
                    .await;
                }
                Err(TenantRejection::Denied {
                    denied,
                    redirect: state.denied_redirect().map(str::to_owned),
                })
            }
        }
    }
}
