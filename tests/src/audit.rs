//! Audit sinks for tests: one whose outage a test switches on and off.

use std::sync::atomic::{AtomicBool, Ordering};

use tenant_diesel::audit::{AuditError, AuditEvent, AuditSink};

/// A sink that fails while it is down, and records nothing either way: what
/// a fail-closed auditor does with a failed write is the point of the tests.
#[derive(Default)]
pub struct FlakySink {
    down: AtomicBool,
}

impl FlakySink {
    /// Takes the sink down (`true`) or brings it back (`false`).
    pub fn set_down(&self, down: bool) {
        self.down.store(down, Ordering::Relaxed);
    }
}

impl AuditSink for FlakySink {
    fn record(&self, _: &AuditEvent) -> Result<(), AuditError> {
        if self.down.load(Ordering::Relaxed) {
            Err(AuditError::new("the audit database is down"))
        } else {
            Ok(())
        }
    }
}
