//! The tenant's dashboard and the `select_account` action.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use tenant_diesel::audit::AuditEvent;
use tenant_diesel::prelude::*;
use tenant_diesel::store::KeyValueStore;

use super::{blocking, render, Member};
use crate::error::AppError;
use crate::models::{Account, Summary, TenantRow};
use crate::pages::{Dashboard, Message};
use crate::schema::{accounts, tenants};
use crate::state::App;

/// How long a tenant's summary stays cached.
const SUMMARY_TTL: Duration = Duration::from_secs(30);

/// The session-state field that holds the selected account.
const SELECTED: &str = "selected_account";

/// The account this session selected in this tenant: per-tenant session state,
/// keyed by `ctx.state_key(session, field)`, so the same session under another
/// tenant reads another key.
fn selected_id(app: &App, member: &Member) -> Result<Option<i64>, AppError> {
    let raw = app
        .store
        .get(member.ctx.state_key(&member.user.session_id, SELECTED))?;
    Ok(raw
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.parse().ok()))
}

/// `GET /dashboard/`.
pub async fn show(State(app): State<App>, member: Member) -> Result<Response, AppError> {
    let page = blocking(&app, move |app| {
        let ctx = &member.ctx;
        let selected_id = selected_id(app, &member)?;
        crate::with_tenant_conn!(&app.db, ctx, |conn| {
            let tenant: TenantRow = global(tenants::table)
                .find(ctx.tenant_id().get())
                .select(TenantRow::as_select())
                .first(&mut conn)?;
            let accounts: Vec<Account> =
                Account::scoped(ctx).order(accounts::name).load(&mut conn)?;
            let summary = app.cache.try_get_or_compute(
                ctx.cache_key("dashboard_summary"),
                Some(SUMMARY_TTL),
                || {
                    let total: i64 = Account::scoped(ctx).count().get_result(&mut conn)?;
                    let active: i64 = Account::scoped(ctx)
                        .filter(accounts::status.eq("active"))
                        .count()
                        .get_result(&mut conn)?;
                    Ok::<_, AppError>(Summary {
                        accounts: total,
                        active,
                    })
                },
            )?;
            // The stored id is only a hint: it is shown if it is one of the rows
            // this tenant's scope returned.
            let selected = accounts.iter().find(|a| Some(a.id) == selected_id).cloned();
            Ok(Dashboard {
                tenant,
                user: member.user.username.clone(),
                selected_id: selected.as_ref().map(|a| a.id),
                selected,
                accounts,
                summary,
                store: app.store.kind(),
            })
        })
    })
    .await?;
    render(StatusCode::OK, &page)
}

/// The `select_account` form.
#[derive(Deserialize)]
pub struct Select {
    account_id: String,
}

/// `POST /dashboard/select`: selects one of the tenant's accounts for this
/// session. Another tenant's id is not found by the scoped query, selects
/// nothing, answers 404 and is audited as `select_account.not_found`.
pub async fn select_account(
    State(app): State<App>,
    member: Member,
    Form(form): Form<Select>,
) -> Result<Response, AppError> {
    let Ok(account_id) = form.account_id.trim().parse::<i64>() else {
        return Ok((StatusCode::BAD_REQUEST, "malformed account id").into_response());
    };
    let found = blocking(&app, move |app| {
        let ctx = &member.ctx;
        // Every attempt is audited before it runs; failing closed, an unwritable
        // log stops it.
        app.audit
            .record_action(ctx, "select_account", Some(&account_id))?;
        let found: Option<Account> = crate::with_tenant_conn!(&app.db, ctx, |conn| {
            Account::scoped(ctx)
                .find(account_id)
                .first(&mut conn)
                .optional()?
        });
        match &found {
            Some(account) => {
                let key = ctx.state_key(&member.user.session_id, SELECTED);
                app.store.set(
                    key,
                    account.id.to_string().as_bytes(),
                    Some(app.sessions.ttl()),
                )?;
            }
            None => app.audit.record(
                AuditEvent::for_tenant(ctx, "select_account.not_found")
                    .with_target(account_id)
                    .with_detail("no such account in this tenant: a tampered or stale id"),
            )?,
        }
        Ok(found.is_some())
    })
    .await?;
    if found {
        Ok(Redirect::to("/dashboard/").into_response())
    } else {
        render(
            StatusCode::NOT_FOUND,
            &Message {
                title: "No such account",
                message: "Nothing was selected.",
            },
        )
    }
}
