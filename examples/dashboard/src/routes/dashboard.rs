//! The tenant's dashboard and the `select_account` action.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use tenant_diesel::async_prelude::*;
use tenant_diesel::audit::AuditEvent;
use tenant_diesel::store::KeyValueStore;

use super::{render, Member};
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

/// `GET /dashboard/`: the tenant's row, its accounts and the summary, read in
/// one unit of work on an `AsyncTenantConn`.
pub async fn show(State(app): State<App>, member: Member) -> Result<Response, AppError> {
    let ctx = &member.ctx;
    // The store (memory or Redis) is sync: these reads run on the async worker,
    // before a connection is taken from the pool.
    let selected_id = selected_id(&app, &member)?;
    let summary_key = ctx.cache_key("dashboard_summary");
    let cached: Option<Summary> = app.cache.get(&summary_key)?;
    let fresh = cached.is_none();
    let (tenant, accounts, summary) = crate::with_tenant_conn!(&app.db, ctx, |conn| {
        conn.transaction(async |tx| {
            let tenant: TenantRow = global(tenants::table)
                .find(ctx.tenant_id().get())
                .select(TenantRow::as_select())
                .first(tx)
                .await?;
            let accounts: Vec<Account> =
                Account::scoped(ctx).order(accounts::name).load(tx).await?;
            // Counted only when the cache had no summary.
            let summary = match cached {
                Some(summary) => summary,
                None => Summary {
                    accounts: Account::scoped(ctx).count().get_result(tx).await?,
                    active: Account::scoped(ctx)
                        .filter(accounts::status.eq("active"))
                        .count()
                        .get_result(tx)
                        .await?,
                },
            };
            Ok::<_, AppError>((tenant, accounts, summary))
        })
        .await?
    });
    // Cached for the next requests only once the queries succeeded.
    if fresh {
        app.cache
            .set_with_ttl(&summary_key, &summary, SUMMARY_TTL)?;
    }
    // The stored id is only a hint: it is shown if it is one of the rows this
    // tenant's scope returned.
    let selected = accounts.iter().find(|a| Some(a.id) == selected_id).cloned();
    let page = Dashboard {
        tenant,
        user: member.user.username.clone(),
        selected_id: selected.as_ref().map(|a| a.id),
        selected,
        accounts,
        summary,
        store: app.store_kind,
    };
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
    let ctx = &member.ctx;
    // Every attempt is audited before it runs; failing closed, an unwritable log
    // stops it. The write goes through the auditor's queue: this request waits
    // for the batch holding its event, without holding a runtime thread.
    app.audit
        .record_action_async(ctx, "select_account", Some(&account_id))
        .await?;
    let found: Option<Account> = crate::with_tenant_conn!(&app.db, ctx, |conn| {
        Account::scoped(ctx)
            .find(account_id)
            .first(&mut conn)
            .await
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
        None => {
            app.audit
                .record_async(
                    AuditEvent::for_tenant(ctx, "select_account.not_found")
                        .with_target(account_id)
                        .with_detail("no such account in this tenant: a tampered or stale id"),
                )
                .await?
        }
    }
    if found.is_some() {
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
