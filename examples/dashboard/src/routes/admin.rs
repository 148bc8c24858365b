//! The staff-only cross-tenant page: every tenant and its account count.

use std::collections::HashMap;

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use tenant_diesel::async_prelude::*;
use tenant_diesel::audit::DenialAudit;
use tenant_diesel::axum::TenantRejection;
use tenant_diesel::resolve::Resolution;
use tenant_diesel::{ActorId, AdminCtx};

use super::{host_header, is_www, refuse, render};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::models::TenantRow;
use crate::pages::{Admin, AdminRow, Message};
use crate::schema::{accounts, tenants};
use crate::state::App;

/// Why this page opens cross-tenant access: a literal, which the escape-hatch
/// report lists beside `AdminCtx::new_async`, written to the audit log with
/// every query.
const REASON: &str = "support: every tenant and its account count, on the admin page";

/// `GET /admin`, on the www host only.
pub async fn show(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    resolution: Result<Resolution, TenantRejection>,
    user: Result<CurrentUser, crate::auth::NotLoggedIn>,
) -> Result<Response, AppError> {
    match resolution {
        Err(rejection) => return Ok(refuse(&app, rejection)),
        // Never on a tenant's host: cross-tenant data has no place there.
        Ok(Resolution::Tenant(_)) => {
            return Ok((StatusCode::NOT_FOUND, "not found").into_response())
        }
        Ok(_) if !is_www(&app, &headers) => return Ok(Redirect::to(&app.www_url).into_response()),
        Ok(_) => {}
    }
    let user = match user {
        Ok(user) => user,
        Err(not_logged_in) => return Ok(not_logged_in.into_response()),
    };
    if !user.is_staff {
        // Audited: a member trying the cross-tenant page.
        let host = host_header(&headers);
        let actor = ActorId::new(user.username.as_str());
        let event = DenialAudit::event(
            "denied.not_staff",
            Some(&actor),
            None,
            host,
            Some(peer.ip()),
        )
        .with_target("/admin");
        app.denials.record(event).await;
        let page = Message {
            title: "Staff only",
            message: "This page is for staff.",
        };
        return render(StatusCode::FORBIDDEN, &page);
    }
    // Cross-tenant work on the request's own task: the `admin.open` event and
    // every `admin.query` go through the audit writer's queue.
    let staff = ActorId::new(user.username.clone());
    let admin = AdminCtx::new_async(REASON, &staff, &app.audit).await?;
    let (tenants, counts) = crate::with_admin_conn!(&app.db, &admin, |conn| {
        let tenants: Vec<TenantRow> = tenants::table
            .order(tenants::name)
            .select(TenantRow::as_select())
            .load(&mut conn)
            .await?;
        let counts: Vec<(i64, i64)> = accounts::table
            .group_by(accounts::tenant_id)
            .select((accounts::tenant_id, diesel::dsl::count_star()))
            .load(&mut conn)
            .await?;
        (tenants, counts)
    });
    let counts: HashMap<i64, i64> = counts.into_iter().collect();
    let rows = tenants
        .into_iter()
        .map(|t| AdminRow {
            accounts: counts.get(&t.id).copied().unwrap_or(0),
            slug: t.slug,
            name: t.name,
            plan: t.plan,
        })
        .collect();
    let page = Admin {
        user: user.username,
        reason: REASON,
        rows,
    };
    render(StatusCode::OK, &page)
}
