//! The routes, and the pieces every handler shares.

mod admin;
mod dashboard;
mod login;
mod same_origin;
mod www;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use tenant_diesel::axum::TenantRejection;
use tenant_diesel::{Host, TenantCtx};

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::session::Lookup;
use crate::state::App;

/// Every route of the dashboard.
pub fn router(app: App) -> Router {
    Router::new()
        .route("/", get(www::root))
        .route("/no-access", get(www::no_access))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route(
            "/dashboard",
            get(|| async { Redirect::permanent("/dashboard/") }),
        )
        .route("/dashboard/", get(dashboard::show))
        .route("/dashboard/select", post(dashboard::select_account))
        .route("/admin", get(admin::show))
        .fallback(|| async { (StatusCode::NOT_FOUND, "not found") })
        // Inside the protective headers, so that a refusal carries them too.
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            same_origin::require_same_origin,
        ))
        .layer(axum::middleware::map_response(protective_headers))
        .with_state(app)
}

/// The headers every answer carries. Each page is one tenant's, for one
/// session: the library's `private_response` (`private, no-store` and `Vary:
/// Cookie, Host`) keeps a shared cache from serving it to another tenant or
/// user. `frame-ancestors 'none'` (and `X-Frame-Options` for older browsers)
/// keeps the forms out of another site's frames; `nosniff` keeps a browser from
/// reading a page as another type.
async fn protective_headers(response: Response) -> Response {
    use axum::http::header::{CONTENT_SECURITY_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS};
    use axum::http::HeaderValue;
    let mut response = tenant_diesel::axum::private_response(response).await;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'none'"),
    );
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// A member of the request's tenant: the context the library minted after the
/// membership check, and the session it belongs to. A handler that takes a
/// `Member` cannot run for anyone else.
///
/// The library's `TenantCtx` extractor does the work: the tenant before the user,
/// so a bad host or an unknown tenant gets the same answer whoever asks, with the
/// lookups on diesel-async (`crate::state`).
pub struct Member {
    /// The tenant context.
    pub ctx: TenantCtx,
    /// The logged-in user.
    pub user: CurrentUser,
}

impl FromRequestParts<App> for Member {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Response> {
        let ctx = TenantCtx::from_request_parts(parts, app)
            .await
            .map_err(|rejection| refuse(app, rejection))?;
        // The extractor just accepted this session; read it again for its id.
        match app.sessions.lookup(&parts.headers) {
            Lookup::Valid(user) => Ok(Member { ctx, user }),
            _ => Err(Redirect::to("/login").into_response()),
        }
    }
}

/// The library's rejection, except that the default outcome (the apex, the
/// `public` tenant) goes to the www page.
pub fn refuse(app: &App, rejection: TenantRejection) -> Response {
    match rejection {
        TenantRejection::Default(_) => Redirect::to(&app.www_url).into_response(),
        other => {
            if other.status().is_server_error() {
                // The directory or the membership check failed: the client gets a
                // fixed body, the operator the cause.
                eprintln!("dashboard: {other:?}");
            }
            other.into_response()
        }
    }
}

/// `www.<domain>` as a request's host name reads once parsed: lowercase, no
/// trailing dot.
pub fn www_host(domain: &str) -> String {
    let domain = domain.to_ascii_lowercase();
    format!("www.{}", domain.strip_suffix('.').unwrap_or(&domain))
}

/// Whether the request is for exactly `www.<domain>`: not any name that starts
/// with `www.` (`www.acme.<domain>` is not the www host).
pub fn is_www(app: &App, headers: &HeaderMap) -> bool {
    host_header(headers)
        .and_then(|v| Host::parse(v).ok())
        .is_some_and(|host| host.name() == app.www_host)
}

/// The request's `Host` header as text, if it sends one that is: where audit
/// events of a resolved request say it came to.
pub fn host_header(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::HOST).and_then(|v| v.to_str().ok())
}

/// Renders `page` with `status`.
pub fn render(status: StatusCode, page: &impl askama::Template) -> Result<Response, AppError> {
    Ok((status, Html(page.render()?)).into_response())
}
