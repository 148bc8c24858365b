//! The audit log: events, sinks and the [`Auditor`] from `tenant-core`, and
//! [`DieselAuditSink`], which writes to an audit database of its own.

#[cfg(feature = "audit-db")]
mod schema;
#[cfg(feature = "audit-db")]
mod sink;

#[cfg(all(feature = "audit-db", feature = "async-mysql"))]
pub use sink::MysqlAuditConnection;
#[cfg(feature = "audit-db")]
pub use sink::{AuditConnection, DieselAuditSink};
pub use tenant_core::audit::{
    AuditError, AuditEvent, AuditPolicy, AuditSink, AuditWriter, Auditor, DenialAudit,
    DenialLimits, MemorySink, QueueSettings, TracingSink,
};
