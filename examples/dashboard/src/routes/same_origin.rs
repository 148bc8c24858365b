//! Cross-site request forgery: every request that can change state (anything
//! but `GET` and `HEAD`) must come from the page's own origin.
//!
//! `SameSite=Lax` does not cover this demo: tenants are sibling subdomains of
//! one site, so a page on `contoso.localhost` posting to `acme.localhost` is
//! same-site, and the browser sends the cookie along. Nor do the forms carry a
//! token. The check is the one of Go's `net/http` `CrossOriginProtection`:
//! - `Sec-Fetch-Site`, when sent, must be `same-origin`, or `none` (the user
//!   typed the address or opened a bookmark: no page made the request);
//! - `Origin`, when sent, must be exactly this request's origin, `http://` and
//!   its `Host` (the demo serves plain HTTP); `Origin: null` never is;
//! - a request with neither header passes. Every browser that a page can
//!   trick into sending a request sends at least one of them (all current
//!   browsers send `Origin` on a cross-origin `POST`), so such a request comes
//!   from a client that is not a browser (`curl`, a script), which holds no
//!   victim's cookie to abuse and could set any header it liked anyway.
//!
//! A header sent twice, or that is not text, is refused: there is no telling
//! which of the two a browser meant.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tenant_diesel::audit::DenialAudit;

use crate::state::App;

/// The fetch metadata header that names the relation of the requesting page.
const SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");

/// The middleware: passes safe methods and same-origin requests on, refuses
/// the others before any handler (or its extractors) runs.
pub async fn require_same_origin(State(app): State<App>, request: Request, next: Next) -> Response {
    if is_safe(request.method()) || is_same_origin(request.headers()) {
        next.run(request).await
    } else {
        refuse_cross_origin(&app, request).await
    }
}

/// `GET` and `HEAD` change nothing in this application (its routes keep to
/// that), so a cross-site page may load them: that is how links work.
fn is_safe(method: &Method) -> bool {
    method == Method::GET || method == Method::HEAD
}

/// Whether the request comes from this origin, or from no browser at all.
fn is_same_origin(headers: &HeaderMap) -> bool {
    let fetch_site_ok = match single(headers, &SEC_FETCH_SITE) {
        Ok(None) => true,
        Ok(Some(site)) => site == "same-origin" || site == "none",
        Err(Unreadable) => false,
    };
    let origin_ok = match single(headers, &header::ORIGIN) {
        Ok(None) => true,
        Ok(Some(origin)) => match single(headers, &header::HOST) {
            Ok(Some(host)) => origin.strip_prefix("http://") == Some(host),
            // An origin with no (or two) hosts to compare it with.
            _ => false,
        },
        Err(Unreadable) => false,
    };
    fetch_site_ok && origin_ok
}

/// The most of an `Origin` kept in the audit log: a scheme, a host and a port.
const MAX_ORIGIN_CHARS: usize = 280;

/// A header sent more than once, or not as text.
struct Unreadable;

/// The one value of header `name`, if sent.
fn single<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Result<Option<&'a str>, Unreadable> {
    let mut values = headers.get_all(name).iter();
    let Some(first) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(Unreadable);
    }
    first.to_str().map(Some).map_err(|_| Unreadable)
}

/// The answer to a cross-origin state-changing request: 403 with a fixed body.
/// The one place such a request is refused, and audited (with the origin that
/// sent it, escaped and cut short: it is the client's text).
async fn refuse_cross_origin(app: &App, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    let origin = parts
        .headers
        .get(header::ORIGIN)
        .map(|origin| origin.as_bytes().escape_ascii().to_string())
        .map(|origin| origin.chars().take(MAX_ORIGIN_CHARS).collect::<String>());
    let mut event = DenialAudit::request_event("denied.cross_origin", None, None, &parts)
        .with_target(parts.uri.path());
    event.detail = origin.map(|origin| format!("origin {origin}"));
    app.denials.record(event).await;
    (StatusCode::FORBIDDEN, "cross-origin request refused").into_response()
}
