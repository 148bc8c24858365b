use std::net::IpAddr;

use chrono::{DateTime, SubsecRound, Utc};

use crate::actor::ActorId;
use crate::ctx::AsTenantCtx;
use crate::id::AnyTenantId;

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// When it happened (UTC, to the microsecond: what every sink can keep).
    pub at: DateTime<Utc>,
    /// Who did it.
    pub actor: ActorId,
    /// For which tenant; `None` for cross-tenant work (an `AdminCtx`).
    pub tenant: Option<AnyTenantId>,
    /// What was done (`select_account`, `admin.query`).
    pub action: String,
    /// The row or object it was done to, if any.
    pub target_id: Option<String>,
    /// Anything else worth keeping: for cross-tenant work, its reason.
    pub detail: Option<String>,
    /// The `Host` the request named, if the event is tied to a request (at most
    /// [`AuditEvent::MAX_HOST_LEN`] bytes: a host is the client's to choose).
    pub host: Option<String>,
    /// The client's address, if the event is tied to a request and the server
    /// knows it.
    pub client: Option<IpAddr>,
}

impl AuditEvent {
    /// `actor` does `action`, for `tenant` if any, now: for what happens before
    /// there is a context (a login, a logout), or across tenants.
    pub fn new(actor: ActorId, tenant: Option<AnyTenantId>, action: &str) -> Self {
        Self {
            at: now(),
            actor,
            tenant,
            action: action.to_owned(),
            target_id: None,
            detail: None,
            host: None,
            client: None,
        }
    }

    /// `ctx`'s actor does `action` for `ctx`'s tenant, now.
    pub fn for_tenant(ctx: &(impl AsTenantCtx + ?Sized), action: &str) -> Self {
        let ctx = ctx.as_tenant_ctx();
        Self::new(ctx.actor().clone(), Some(ctx.tenant_id().erase()), action)
    }

    /// `actor` does `action` across tenants, now, for `reason`.
    pub fn cross_tenant(actor: ActorId, action: &str, reason: &str) -> Self {
        Self::new(actor, None, action).with_detail(reason)
    }

    /// The same event, done to `target`.
    pub fn with_target(mut self, target: impl ToString) -> Self {
        self.target_id = Some(target.to_string());
        self
    }

    /// The same event, tied to the request that named `host` from `client`.
    /// A host longer than [`AuditEvent::MAX_HOST_LEN`] bytes is cut there (at a
    /// character boundary), so a client cannot make one event arbitrarily large.
    pub fn with_source(mut self, host: Option<&str>, client: Option<IpAddr>) -> Self {
        self.host = host.map(|host| {
            let mut end = host.len().min(Self::MAX_HOST_LEN);
            while !host.is_char_boundary(end) {
                end -= 1;
            }
            host[..end].to_owned()
        });
        self.client = client;
        self
    }

    /// The longest `host` an event keeps, in bytes: a DNS name is at most 253,
    /// and a port adds six.
    pub const MAX_HOST_LEN: usize = 260;

    /// The same event, with `detail`.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// Now, to the microsecond, so that an event read back from a database equals the
/// event that was written.
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}
