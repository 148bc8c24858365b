//! Logging in and out. The form is served on any valid host; the session it
//! starts is checked against each tenant's memberships on every request.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use tenant_diesel::axum::TenantRejection;
use tenant_diesel::resolve::Resolution;

use super::{refuse, render};
use crate::auth::{check_login, CurrentUser};
use crate::error::AppError;
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
/// the www page); a bad one shows the form again, 401.
pub async fn submit(
    State(app): State<App>,
    resolution: Result<Resolution, TenantRejection>,
    Form(credentials): Form<Credentials>,
) -> Result<Response, AppError> {
    let next = match resolution {
        Err(rejection) => return Ok(refuse(&app, rejection)),
        Ok(Resolution::Tenant(_)) => "/dashboard/",
        Ok(_) => "/",
    };
    let found = check_login(&app, &credentials.username, &credentials.password).await?;
    let Some((id, username, staff)) = found else {
        return render(StatusCode::UNAUTHORIZED, &Login { failed: true });
    };
    let cookie = app.sessions.start(id, &username, staff);
    let mut response = Redirect::to(next).into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(response)
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
