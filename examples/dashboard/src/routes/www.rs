//! The apex, the www page and the no-access page.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use tenant_diesel::axum::TenantRejection;
use tenant_diesel::resolve::Resolution;

use super::{is_www, refuse, render};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::pages::{NoAccess, Www};
use crate::state::App;

/// `/`: a tenant's host goes to its dashboard, `www` shows the www page, and the
/// apex (the `public` default tenant) is redirected to `www`.
pub async fn root(
    State(app): State<App>,
    headers: HeaderMap,
    resolution: Result<Resolution, TenantRejection>,
    user: Option<CurrentUser>,
) -> Result<Response, AppError> {
    match resolution {
        Err(rejection) => Ok(refuse(&app, rejection)),
        Ok(Resolution::Tenant(_)) => Ok(Redirect::to("/dashboard/").into_response()),
        Ok(Resolution::Default(_)) if is_www(&app, &headers) => {
            let base = app.www_url.trim_start_matches("http://www.");
            let tenants = crate::seed::TENANTS
                .iter()
                .map(|(_, slug, _, _)| {
                    (
                        (*slug).to_owned(),
                        format!("http://{slug}.{base}dashboard/"),
                    )
                })
                .collect();
            let page = Www {
                tenants,
                staff: user.as_ref().is_some_and(|u| u.is_staff),
                user: user.map(|u| u.username),
            };
            render(StatusCode::OK, &page)
        }
        Ok(Resolution::Default(_)) => Ok(Redirect::to(&app.www_url).into_response()),
        Ok(_) => Ok((StatusCode::NOT_FOUND, "not found").into_response()),
    }
}

/// `/no-access`: where the tenant extractor sends a user who is not a member.
pub async fn no_access(
    State(app): State<App>,
    resolution: Result<Resolution, TenantRejection>,
    user: Option<CurrentUser>,
) -> Result<Response, AppError> {
    if let Err(rejection) = resolution {
        return Ok(refuse(&app, rejection));
    }
    render(
        StatusCode::FORBIDDEN,
        &NoAccess {
            user: user.map(|u| u.username),
        },
    )
}
