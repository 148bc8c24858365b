use super::{AuditError, AuditEvent, AuditSink};

/// Writes each event as a `tracing` event at `INFO` level, target `tenant_audit`,
/// with the fields `at`, `actor`, `tenant`, `action`, `target_id` and `detail`.
///
/// It cannot fail: whether the event reaches a log is the subscriber's business,
/// so use it beside a durable sink, not instead of one, where the log must hold.
#[derive(Debug, Default, Clone, Copy)]
pub struct TracingSink;

impl AuditSink for TracingSink {
    fn record(&self, event: &AuditEvent) -> Result<(), AuditError> {
        tracing::info!(
            target: "tenant_audit",
            at = %event.at.to_rfc3339(),
            actor = %event.actor,
            tenant = event.tenant.map(tracing::field::display),
            action = %event.action,
            target_id = ?event.target_id,
            detail = ?event.detail,
            "audit"
        );
        Ok(())
    }
}
