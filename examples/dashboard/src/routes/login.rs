//! Logging in and out. The form is served on any valid host; the session it
//! starts is checked against each tenant's memberships on every request.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use tenant_diesel::audit::{AuditEvent, DenialAudit};
use tenant_diesel::axum::TenantRejection;
use tenant_diesel::resolve::Resolution;
use tenant_diesel::{ActorId, AnyTenantId};

use super::{host_header, refuse, render};
use crate::auth::{check_login, CurrentUser};
use crate::error::AppError;
use crate::login_throttle::Throttled;
use crate::pages::Login;
use crate::state::App;

/// The login form's fields.
#[derive(Deserialize)]
pub struct Credentials {
    username: String,
    password: String,
}

/// `GET /login`.
pub async fn form(
    State(app): State<App>,
    resolution: Result<Resolution, TenantRejection>,
) -> Result<Response, AppError> {
    match resolution {
        Err(rejection) => Ok(refuse(&app, rejection)),
        Ok(_) => render(StatusCode::OK, &Login { failed: false }),
    }
}

/// `POST /login`: a good password starts a session and goes to the dashboard (or
/// the www page); a bad one shows the form again, 401. Past the failures allowed
/// for the name or the client's address, 429 before any password check.
///
/// Every outcome is audited: `session.login` (failing closed: no session
/// without its event), and as denials, rate-limited per client,
/// `denied.login_failed` and `denied.login_throttled` with the name tried.
pub async fn submit(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    resolution: Result<Resolution, TenantRejection>,
    Form(credentials): Form<Credentials>,
) -> Result<Response, AppError> {
    let (next, tenant) = match resolution {
        Err(rejection) => return Ok(refuse(&app, rejection)),
        Ok(Resolution::Tenant(resolved)) => ("/dashboard/", Some(resolved.tenant().id.erase())),
        Ok(_) => ("/", None),
    };
    let source = Source {
        host: host_header(&headers),
        client: peer,
        tenant,
    };
    // Counted as failed from here unless the password matches; an error on
    // the way counts too.
    let attempt = match app.login_throttle.admit(peer.ip(), &credentials.username) {
        Ok(attempt) => attempt,
        Err(throttled) => {
            source
                .deny(&app, "denied.login_throttled", &credentials.username)
                .await;
            return Ok(refuse_throttled(throttled));
        }
    };
    let found = check_login(&app, &credentials.username, &credentials.password).await?;
    let Some((id, username, staff)) = found else {
        source
            .deny(&app, "denied.login_failed", &credentials.username)
            .await;
        return render(StatusCode::UNAUTHORIZED, &Login { failed: true });
    };
    app.audit
        .record_async(source.event(ActorId::new(username.as_str()), "session.login"))
        .await?;
    attempt.succeeded();
    let cookie = app.sessions.start(id, &username, staff);
    let mut response = Redirect::to(next).into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(response)
}

/// Where a login or logout came from, for its audit event.
struct Source<'a> {
    host: Option<&'a str>,
    client: SocketAddr,
    tenant: Option<AnyTenantId>,
}

/// The most of a name tried at login kept in a denial: the form's field is the
/// client's to fill.
const MAX_NAME_CHARS: usize = 64;

impl Source<'_> {
    /// `actor` did `action` from here.
    fn event(&self, actor: ActorId, action: &str) -> AuditEvent {
        AuditEvent::new(actor, self.tenant, action).with_source(self.host, Some(self.client.ip()))
    }

    /// A refused login for `name`, in the log unless its client is over the
    /// denial limit. The name is the target, not the actor: nobody
    /// authenticated.
    async fn deny(&self, app: &App, action: &str, name: &str) {
        let name: String = name.chars().take(MAX_NAME_CHARS).collect();
        let event =
            DenialAudit::event(action, None, self.tenant, self.host, Some(self.client.ip()))
                .with_target(name);
        app.denials.record(event).await;
    }
}

/// The answer to a login past its limits: 429, when to try again, and a fixed
/// body that says nothing of whether the name exists. The one place a throttled
/// login is refused.
fn refuse_throttled(throttled: Throttled) -> Response {
    let retry_after = HeaderValue::from(throttled.retry_after_secs());
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::RETRY_AFTER, retry_after)],
        "too many failed logins: try again later",
    )
        .into_response()
}

/// `POST /logout`: ends the session of the cookie sent to this host. The host
/// is resolved first, like on every other route: a malformed or duplicated
/// `Host` is a 400 and an unknown tenant a 404, and neither ends any session.
///
/// Audited as `session.logout` before the session ends (failing closed, the
/// session stays if the log cannot say it ended).
pub async fn logout(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    resolution: Result<Resolution, TenantRejection>,
    user: Option<CurrentUser>,
) -> Result<Response, AppError> {
    let tenant = match resolution {
        Err(rejection) => return Ok(refuse(&app, rejection)),
        Ok(Resolution::Tenant(resolved)) => Some(resolved.tenant().id.erase()),
        Ok(_) => None,
    };
    if let Some(user) = user {
        let source = Source {
            host: host_header(&headers),
            client: peer,
            tenant,
        };
        app.audit
            .record_async(source.event(ActorId::new(user.username.as_str()), "session.logout"))
            .await?;
        app.sessions.end(&user.session_id);
    }
    let mut response = Redirect::to("/login").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, app.sessions.cookie().clear());
    Ok(response)
}
