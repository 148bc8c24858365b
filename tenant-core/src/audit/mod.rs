//! The audit log: who did what, for which tenant, to which row, and when.
//!
//! An [`AuditEvent`] goes to an [`AuditSink`] through an [`Auditor`], which
//! decides what a failed write does: by default the action fails with it (fail
//! closed); an auditor made [`fail_open`](Auditor::fail_open) lets the action go on
//! and reports the failure at `ERROR` level through `tracing`. A failed write is
//! never silently dropped.
//!
//! Sinks here: [`TracingSink`] and [`MemorySink`]; `tenant-diesel` adds a sink that
//! writes to an audit database of its own.

mod event;
mod memory;
mod tracing_sink;

use std::error::Error;
use std::fmt;
use std::sync::Arc;

pub use event::AuditEvent;
pub use memory::MemorySink;
pub use tracing_sink::TracingSink;

use crate::ctx::AsTenantCtx;

/// An audit event could not be recorded.
#[derive(Debug, thiserror::Error)]
#[error("cannot record the audit event: {0}")]
pub struct AuditError(#[source] Box<dyn Error + Send + Sync>);

impl AuditError {
    /// Wraps the sink's own error.
    pub fn new(source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self(source.into())
    }
}

/// Where audit events are written.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an audit sink",
    label = "expected an `AuditSink`",
    note = "use `TracingSink`, `MemorySink` or `tenant_diesel::audit::DieselAuditSink`, or implement `AuditSink::record` for your own"
)]
pub trait AuditSink: Send + Sync {
    /// Writes `event`, durably if the sink is durable; an error if it could not.
    fn record(&self, event: &AuditEvent) -> Result<(), AuditError>;
}

impl<S: AuditSink + ?Sized> AuditSink for Arc<S> {
    fn record(&self, event: &AuditEvent) -> Result<(), AuditError> {
        (**self).record(event)
    }
}

impl<S: AuditSink + ?Sized> AuditSink for &S {
    fn record(&self, event: &AuditEvent) -> Result<(), AuditError> {
        (**self).record(event)
    }
}

/// What an action does when its audit event cannot be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuditPolicy {
    /// The action fails with the audit error. The default.
    #[default]
    FailClosed,
    /// The action goes on; the failure is reported at `ERROR` level through
    /// `tracing` (target `tenant_audit`).
    FailOpen,
}

/// A sink and the policy for its failures: what audited actions are handed.
///
/// Cheap to clone (the sink is shared).
///
/// ```
/// # struct Members;
/// # impl tenant_core::MembershipCheck for Members {
/// #     type Error = std::convert::Infallible;
/// #     fn is_member(&self, actor: &tenant_core::ActorId, _: &tenant_core::Tenant) -> Result<bool, Self::Error> {
/// #         Ok(actor.as_str() == "alice")
/// #     }
/// # }
/// # let context = |id: i64, slug: &str| {
/// #     let tenant = tenant_core::Tenant { id: tenant_core::TenantId::new(id),
/// #         slug: tenant_core::TenantSlug::parse(slug).unwrap(), name: slug.into(), plan: "free".into() };
/// #     tenant_core::ResolvedTenant::new(tenant).authorize(&tenant_core::ActorId::new("alice"), &Members).unwrap()
/// # };
/// # let ctx = context(1, "acme");
/// use std::sync::Arc;
/// use tenant_core::audit::{Auditor, MemorySink};
///
/// let log = Arc::new(MemorySink::new());
/// let audit = Auditor::new(log.clone());
/// audit.record_action(&ctx, "select_account", Some(&42))?;
/// assert_eq!(log.events()[0].target_id.as_deref(), Some("42"));
/// # Ok::<(), tenant_core::audit::AuditError>(())
/// ```
#[derive(Clone)]
pub struct Auditor {
    sink: Arc<dyn AuditSink>,
    policy: AuditPolicy,
}

impl fmt::Debug for Auditor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auditor")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl Auditor {
    /// Audits into `sink`, failing closed.
    pub fn new(sink: impl AuditSink + 'static) -> Self {
        Self {
            sink: Arc::new(sink),
            policy: AuditPolicy::FailClosed,
        }
    }

    /// The same sink, but a failed write no longer fails the action: it is
    /// reported through `tracing` at `ERROR` level instead. Opt in only where an
    /// outage of the audit log must not stop the service.
    pub fn fail_open(mut self) -> Self {
        self.policy = AuditPolicy::FailOpen;
        self
    }

    /// What a failed write does.
    pub fn policy(&self) -> AuditPolicy {
        self.policy
    }

    /// Writes `event`. Failing closed, a failed write is the caller's error;
    /// failing open, it is reported through `tracing` and `Ok` is returned.
    pub fn record(&self, event: AuditEvent) -> Result<(), AuditError> {
        match (self.sink.record(&event), self.policy) {
            (Ok(()), _) => Ok(()),
            (Err(e), AuditPolicy::FailClosed) => Err(e),
            (Err(e), AuditPolicy::FailOpen) => {
                tracing::error!(
                    target: "tenant_audit",
                    error = %e,
                    actor = %event.actor,
                    tenant = event.tenant.map(tracing::field::display),
                    action = %event.action,
                    target_id = ?event.target_id,
                    "audit event lost (the auditor fails open)"
                );
                Ok(())
            }
        }
    }

    /// Records that `ctx`'s actor did `action` on `target` for `ctx`'s tenant: what
    /// `#[audited(..)]` calls before the action runs.
    pub fn record_action(
        &self,
        ctx: &(impl AsTenantCtx + ?Sized),
        action: &str,
        target: Option<&dyn fmt::Display>,
    ) -> Result<(), AuditError> {
        let mut event = AuditEvent::for_tenant(ctx, action);
        event.target_id = target.map(ToString::to_string);
        self.record(event)
    }
}
