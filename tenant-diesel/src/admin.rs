//! The one escape hatch: explicit, reasoned, cross-tenant access.

use diesel::connection::Connection;
use diesel::result::QueryResult;

use crate::conn::RawConnection;
use crate::run_dsl::{RunsOn, Token};
use tenant_core::audit::{AuditError, AuditEvent, Auditor};
use tenant_core::{Actor, ActorId};

/// Permission to work across tenants (support views, migrations of data, reports),
/// with the reason written down and every use audited.
///
/// The reason is a `&'static str`, a literal in the code, so every cross-tenant
/// path is found with `grep -rn 'AdminCtx::new'` and reads as what it is for.
/// There is no `Default` and no `Deserialize`. Creating one records an
/// `admin.open` event, and every query an [`AdminConn`] runs with it an
/// `admin.query` event, each with the actor and the reason; when the
/// [`Auditor`] fails closed (the default), an event that cannot be written stops
/// the creation or the query.
///
/// ```
/// use std::sync::Arc;
/// use tenant_diesel::audit::{Auditor, MemorySink};
/// use tenant_diesel::{ActorId, AdminCtx};
///
/// let log = Arc::new(MemorySink::new());
/// let audit = Auditor::new(log.clone());
/// let staff = ActorId::new("support-7");
/// let admin = AdminCtx::new("support: list every tenant's account count", &staff, &audit).unwrap();
/// assert!(AdminCtx::new("  ", &staff, &audit).is_err());
/// assert_eq!(log.events()[0].action, "admin.open");
/// # let _ = admin;
/// ```
#[derive(Debug, Clone)]
pub struct AdminCtx {
    reason: &'static str,
    actor: ActorId,
    audit: Auditor,
}

/// An [`AdminCtx`] could not be created.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AdminError {
    /// It was asked for without a reason.
    #[error(
        "cross-tenant access needs a reason: AdminCtx::new(\"support: why this needs every tenant\", &staff, &auditor)"
    )]
    MissingReason,
    /// Its `admin.open` event could not be written, and the auditor fails closed.
    #[error("cross-tenant access refused: {0}")]
    Audit(#[from] AuditError),
}

impl AdminCtx {
    /// Grants `actor` cross-tenant access for `reason`, which must not be blank,
    /// and records it in `audit`.
    pub fn new(
        reason: &'static str,
        actor: impl Actor,
        audit: &Auditor,
    ) -> Result<Self, AdminError> {
        let admin = Self::unrecorded(reason, actor, audit)?;
        audit.record(admin.open_event())?;
        Ok(admin)
    }

    /// [`new`](Self::new) for async code: the `admin.open` event goes through
    /// the auditor's queue when it has one ([`Auditor::record_async`]), so
    /// opening cross-tenant access never blocks the runtime on the audit log.
    pub async fn new_async(
        reason: &'static str,
        actor: impl Actor,
        audit: &Auditor,
    ) -> Result<Self, AdminError> {
        let admin = Self::unrecorded(reason, actor, audit)?;
        audit.record_async(admin.open_event()).await?;
        Ok(admin)
    }

    /// The context, before its `admin.open` event is written: never handed out.
    fn unrecorded(
        reason: &'static str,
        actor: impl Actor,
        audit: &Auditor,
    ) -> Result<Self, AdminError> {
        if reason.trim().is_empty() {
            return Err(AdminError::MissingReason);
        }
        Ok(Self {
            reason,
            actor: actor.actor_id(),
            audit: audit.clone(),
        })
    }

    /// The `admin.open` event of this context.
    fn open_event(&self) -> AuditEvent {
        AuditEvent::cross_tenant(self.actor.clone(), "admin.open", self.reason)
    }

    /// Why cross-tenant access was granted.
    pub fn reason(&self) -> &'static str {
        self.reason
    }

    /// Who was granted it.
    pub fn actor(&self) -> &ActorId {
        &self.actor
    }

    /// Records one query run with this context; under a fail-closed auditor, a
    /// failed write is the query's error and the query is not sent.
    fn audit_query(&self) -> QueryResult<()> {
        self.audit.record(self.query_event()).map_err(query_refused)
    }

    /// [`audit_query`](Self::audit_query) for an async connection, through the
    /// auditor's queue when it has one. The event is made now, so the future
    /// borrows only the auditor.
    #[cfg(feature = "async")]
    pub(crate) fn audit_query_async(
        &self,
    ) -> impl std::future::Future<Output = QueryResult<()>> + Send + '_ {
        let written = self.audit.record_async(self.query_event());
        async move { written.await.map_err(query_refused) }
    }

    /// The `admin.query` event of one query.
    fn query_event(&self) -> AuditEvent {
        AuditEvent::cross_tenant(self.actor.clone(), "admin.query", self.reason)
    }
}

/// A connection for cross-tenant work: it runs any Diesel query, and it can only
/// be opened with an [`AdminCtx`]. Every query it runs is audited first.
pub struct AdminConn<C> {
    raw: C,
    admin: AdminCtx,
}

impl<C: RawConnection> AdminConn<C> {
    /// Opens cross-tenant access on `raw` for the reason in `admin`.
    pub fn new(raw: C, admin: &AdminCtx) -> Self {
        Self {
            raw,
            admin: admin.clone(),
        }
    }

    /// The context this connection was opened with.
    pub fn admin(&self) -> &AdminCtx {
        &self.admin
    }

    /// Runs `f` inside a database transaction, committing on `Ok`.
    pub fn transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut AdminConn<&mut C::Conn>) -> Result<T, E>,
        E: From<diesel::result::Error>,
        for<'a> &'a mut C::Conn: RawConnection<Conn = C::Conn>,
    {
        let admin = &self.admin;
        self.raw
            .raw_connection()
            .transaction(|raw| f(&mut AdminConn::new(raw, admin)))
    }
}

/// A query whose `admin.query` event could not be written is refused with the
/// auditor's error.
fn query_refused(error: AuditError) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(Box::new(error))
}

impl<C> std::fmt::Debug for AdminConn<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminConn")
            .field("reason", &self.admin.reason)
            .finish_non_exhaustive()
    }
}

/// An admin connection runs raw Diesel queries: that is what it is for.
impl<Q, C: RawConnection> RunsOn<Q> for AdminConn<C> {
    type Raw = C::Conn;
    type Query = Q;

    fn run<R>(
        &mut self,
        query: Q,
        _: Token,
        run: impl FnOnce(Q, &mut C::Conn) -> QueryResult<R>,
    ) -> QueryResult<R> {
        self.admin.audit_query()?;
        run(query, self.raw.raw_connection())
    }
}
