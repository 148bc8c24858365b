//! Users: argon2 password hashes, the login check, and the `CurrentUser`
//! extractor that the tenant extractor asks for.

use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Redirect, Response};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use tenant_diesel::audit::DenialAudit;
use tenant_diesel::{Actor, ActorId};

use crate::error::AppError;
use crate::schema::users;
use crate::session::Lookup;
use crate::state::App;

/// Hashes `password` with argon2id and a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| AppError::Startup(format!("no randomness: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::Startup(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::Startup(format!("cannot hash a password: {e}")))
}

/// A user as the session knows it.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// The user's id.
    pub id: i64,
    /// The login name; also the actor in the audit log.
    pub username: String,
    /// Whether the user may open the cross-tenant admin page.
    pub is_staff: bool,
    /// The session this request belongs to: the key of its per-tenant state.
    pub session_id: String,
}

impl Actor for CurrentUser {
    fn actor_id(&self) -> ActorId {
        ActorId::new(self.username.clone())
    }
}

/// Checks a login; `None` for an unknown user or a wrong password, alike, and
/// at the same cost: the check runs either way (`PasswordChecks`).
pub async fn check_login(
    app: &App,
    username: &str,
    password: &str,
) -> Result<Option<(i64, String, bool)>, AppError> {
    let row: Option<(i64, String, String, bool)> = crate::with_plain_conn!(&app.db, |conn| {
        users::table
            .filter(users::username.eq(username))
            .select((
                users::id,
                users::username,
                users::password_hash,
                users::is_staff,
            ))
            .first(&mut *conn)
            .await
            .optional()?
    });
    let stored = row.as_ref().map(|(_, _, hash, _)| hash.as_str());
    let matches = app.password_checks.check(password, stored).await?;
    Ok(row
        .filter(|_| matches)
        .map(|(id, username, _, staff)| (id, username, staff)))
}

/// Why there is no current user: each answer sends the browser to the login page.
#[derive(Debug)]
pub enum NotLoggedIn {
    /// No session cookie, an unknown or an expired session.
    Anonymous,
    /// A cookie whose signature does not match: audited, then cleared with
    /// this `Set-Cookie`.
    Forged(HeaderValue),
    /// The session cookie sent more than once: cleared with this `Set-Cookie`.
    Duplicated(HeaderValue),
}

impl IntoResponse for NotLoggedIn {
    fn into_response(self) -> Response {
        let mut response = Redirect::to("/login").into_response();
        if let Self::Forged(clear) | Self::Duplicated(clear) = self {
            response
                .headers_mut()
                .insert(axum::http::header::SET_COOKIE, clear);
        }
        response
    }
}

impl FromRequestParts<App> for CurrentUser {
    type Rejection = NotLoggedIn;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, NotLoggedIn> {
        match app.sessions.lookup(&parts.headers) {
            Lookup::Valid(user) => Ok(user),
            Lookup::Missing | Lookup::Expired => Err(NotLoggedIn::Anonymous),
            Lookup::Forged => {
                // An attack, or a server restarted with a new key: either way it is
                // logged (with the host and the client, rate-limited per client so
                // a flood of forged cookies cannot fill the log), and the request is
                // refused whether or not the log answers.
                let event = DenialAudit::request_event("denied.forged_cookie", None, None, parts)
                    .with_target(parts.uri.path())
                    .with_detail("a session cookie whose signature does not match");
                app.denials.record(event).await;
                Err(NotLoggedIn::Forged(app.sessions.cookie().clear()))
            }
            Lookup::Duplicated => Err(refuse_duplicated_cookie(app, parts).await),
        }
    }
}

/// A request that sends the session cookie more than once is logged in as no
/// one, and the cookie is cleared: the one place such a request is refused.
/// Audited: a second cookie is what tossing one from a sibling subdomain looks
/// like.
async fn refuse_duplicated_cookie(app: &App, parts: &Parts) -> NotLoggedIn {
    let event = DenialAudit::request_event("denied.duplicated_cookie", None, None, parts)
        .with_target(parts.uri.path());
    app.denials.record(event).await;
    NotLoggedIn::Duplicated(app.sessions.cookie().clear())
}

impl axum::extract::OptionalFromRequestParts<App> for CurrentUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &App,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(
            <Self as FromRequestParts<App>>::from_request_parts(parts, app)
                .await
                .ok(),
        )
    }
}
