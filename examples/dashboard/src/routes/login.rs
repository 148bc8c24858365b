//! Logging in and out. The form is served on any valid host; the session it
//! starts is checked against each tenant's memberships on every request.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use tenant_diesel::axum::TenantRejection;
use tenant_diesel::resolve::Resolution;

use super::{refuse, render};
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
pub async fn submit(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    resolution: Result<Resolution, TenantRejection>,
    Form(credentials): Form<Credentials>,
) -> Result<Response, AppError> {
    let next = match resolution {
        Err(rejection) => return Ok(refuse(&app, rejection)),
        Ok(Resolution::Tenant(_)) => "/dashboard/",
        Ok(_) => "/",
    };
    // Counted as failed from here unless the password matches; an error on
    // the way counts too.
    let attempt = match app.login_throttle.admit(peer.ip(), &credentials.username) {
        Ok(attempt) => attempt,
        Err(throttled) => return Ok(refuse_throttled(throttled)),
    };
    let found = check_login(&app, &credentials.username, &credentials.password).await?;
    let Some((id, username, staff)) = found else {
        return render(StatusCode::UNAUTHORIZED, &Login { failed: true });
    };
    attempt.succeeded();
    let cookie = app.sessions.start(id, &username, staff);
    let mut response = Redirect::to(next).into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(response)
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
pub async fn logout(
    State(app): State<App>,
    resolution: Result<Resolution, TenantRejection>,
    user: Option<CurrentUser>,
) -> Response {
    if let Err(rejection) = resolution {
        return refuse(&app, rejection);
    }
    if let Some(user) = user {
        app.sessions.end(&user.session_id);
    }
    let mut response = Redirect::to("/login").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, app.sessions.cookie().clear());
    response
}
