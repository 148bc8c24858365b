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
//!
//! Async servers make their auditor with [`Auditor::queued`]: a writer thread
//! writes the events in batches, one transaction and one `fsync` for all the
//! requests waiting, while each [`Auditor::record_async`] waits for its own
//! event to be written, so the audited action still runs only after its event
//! is kept. The queue is bounded: a flood waits for room instead of growing it.
//! [`DenialAudit`] records the requests the `TenantCtx` extractor (feature `axum`)
//! refuses, rate-limited per client address.

mod denial;
mod event;
mod memory;
mod queue;
mod tracing_sink;

use std::error::Error;
use std::fmt;
use std::sync::Arc;

pub use denial::{DenialAudit, DenialLimits};
pub use event::AuditEvent;
pub use memory::MemorySink;
pub use queue::{AuditWriter, QueueSettings};
pub use tracing_sink::TracingSink;

use queue::QueueSender;

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

    /// Writes `events`, in order: what a queued [`Auditor`]'s writer calls. On
    /// `Ok` every event is written; on an error, every caller waiting for one of
    /// them is refused.
    ///
    /// The default writes them one by one, so an error may come after some were
    /// written (an action refused whose event was kept: the safe way round). A
    /// sink that can should write the batch at once, all or nothing, as
    /// `DieselAuditSink` does in one transaction.
    fn record_batch(&self, events: &[AuditEvent]) -> Result<(), AuditError> {
        events.iter().try_for_each(|event| self.record(event))
    }
}

impl<S: AuditSink + ?Sized> AuditSink for Arc<S> {
    fn record(&self, event: &AuditEvent) -> Result<(), AuditError> {
        (**self).record(event)
    }

    fn record_batch(&self, events: &[AuditEvent]) -> Result<(), AuditError> {
        (**self).record_batch(events)
    }
}

impl<S: AuditSink + ?Sized> AuditSink for &S {
    fn record(&self, event: &AuditEvent) -> Result<(), AuditError> {
        (**self).record(event)
    }

    fn record_batch(&self, events: &[AuditEvent]) -> Result<(), AuditError> {
        (**self).record_batch(events)
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
    /// The writer's queue, for [`Auditor::record_async`]; `None` writes inline.
    queue: Option<QueueSender>,
    policy: AuditPolicy,
}

impl fmt::Debug for Auditor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auditor")
            .field("policy", &self.policy)
            .field("queued", &self.queue.is_some())
            .finish_non_exhaustive()
    }
}

impl Auditor {
    /// Audits into `sink`, failing closed.
    pub fn new(sink: impl AuditSink + 'static) -> Self {
        Self {
            sink: Arc::new(sink),
            queue: None,
            policy: AuditPolicy::FailClosed,
        }
    }

    /// Audits into `sink` through a writer thread, failing closed: what an async
    /// server wants. [`record_async`](Self::record_async) queues its event and
    /// waits until the writer has written the batch holding it; the sync
    /// [`record`](Self::record) still writes inline (for blocking code such as
    /// `AdminCtx::new` on a blocking thread).
    ///
    /// The writer stops once every clone of the auditor is dropped and the queue
    /// is empty; [`AuditWriter::join`] waits for that at shutdown.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use tenant_core::audit::{AuditEvent, Auditor, MemorySink, QueueSettings};
    ///
    /// # struct Members;
    /// # impl tenant_core::MembershipCheck for Members {
    /// #     type Error = std::convert::Infallible;
    /// #     fn is_member(&self, _: &tenant_core::ActorId, _: &tenant_core::Tenant) -> Result<bool, Self::Error> { Ok(true) }
    /// # }
    /// # let tenant = tenant_core::Tenant { id: tenant_core::TenantId::new(1),
    /// #     slug: tenant_core::TenantSlug::parse("acme").unwrap(), name: "Acme".into(), plan: "free".into() };
    /// # let ctx = tenant_core::ResolvedTenant::new(tenant)
    /// #     .authorize(&tenant_core::ActorId::new("alice"), &Members).unwrap();
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let log = Arc::new(MemorySink::new());
    /// let (audit, writer) = Auditor::queued(log.clone(), QueueSettings::default())?;
    /// audit.record_action_async(&ctx, "select_account", Some(&42)).await?;
    /// // Written before `record_action_async` returned.
    /// assert_eq!(log.events()[0].target_id.as_deref(), Some("42"));
    /// drop(audit);
    /// writer.join()?;
    /// # Ok::<(), tenant_core::audit::AuditError>(())
    /// # }).unwrap();
    /// ```
    pub fn queued(
        sink: impl AuditSink + 'static,
        settings: QueueSettings,
    ) -> Result<(Self, AuditWriter), AuditError> {
        let sink: Arc<dyn AuditSink> = Arc::new(sink);
        let (queue, writer) = queue::spawn(sink.clone(), settings)?;
        let auditor = Self {
            sink,
            queue: Some(queue),
            policy: AuditPolicy::FailClosed,
        };
        Ok((auditor, writer))
    }

    /// How many events wait for the writer now (always 0 without a queue).
    pub fn waiting(&self) -> usize {
        self.queue.as_ref().map_or(0, QueueSender::waiting)
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
        let written = self.sink.record(&event);
        self.settle(written, &event)
    }

    /// Writes `event` without blocking the runtime: through the writer's queue
    /// when the auditor is [`queued`](Self::queued), waiting for room and then for
    /// the batch holding the event to be written. `Ok` means written; failing
    /// closed, an error means the action must not go on (the writer could not
    /// write, or has stopped). Without a queue it writes inline, as
    /// [`record`](Self::record) does.
    pub async fn record_async(&self, event: AuditEvent) -> Result<(), AuditError> {
        let Some(queue) = &self.queue else {
            return self.record(event);
        };
        match self.policy {
            AuditPolicy::FailClosed => queue.write(event).await,
            // Failing open, the lost event is logged: keep a copy to log.
            AuditPolicy::FailOpen => {
                let written = queue.write(event.clone()).await;
                self.settle(written, &event)
            }
        }
    }

    /// [`record_action`](Self::record_action), through the queue: what an async
    /// handler awaits before its audited action runs. The event is made at the
    /// call, so the future borrows only the auditor (and is `Send`).
    pub fn record_action_async(
        &self,
        ctx: &(impl AsTenantCtx + ?Sized),
        action: &str,
        target: Option<&dyn fmt::Display>,
    ) -> impl std::future::Future<Output = Result<(), AuditError>> + Send + '_ {
        let mut event = AuditEvent::for_tenant(ctx, action);
        event.target_id = target.map(ToString::to_string);
        self.record_async(event)
    }

    /// What a write's outcome means under the policy.
    fn settle(
        &self,
        written: Result<(), AuditError>,
        event: &AuditEvent,
    ) -> Result<(), AuditError> {
        match (written, self.policy) {
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
