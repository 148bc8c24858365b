//! The one escape hatch: explicit, reasoned, cross-tenant access.

use diesel::connection::Connection;
use diesel::result::QueryResult;

use crate::conn::RawConnection;
use crate::run_dsl::{RunsOn, Token};

/// Permission to work across tenants (support views, migrations of data, reports),
/// with the reason written down.
///
/// The reason is a `&'static str`, a literal in the code, so every cross-tenant
/// path is found with `grep -rn 'AdminCtx::new'` and reads as what it is for.
/// There is no `Default` and no `Deserialize`.
///
/// ```
/// use tenant_diesel::AdminCtx;
///
/// let admin = AdminCtx::new("support: list every tenant's account count").unwrap();
/// assert!(AdminCtx::new("  ").is_err());
/// # let _ = admin;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminCtx {
    reason: &'static str,
}

/// An [`AdminCtx`] was asked for without a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "cross-tenant access needs a reason: AdminCtx::new(\"support: why this needs every tenant\")"
)]
pub struct MissingReason;

impl AdminCtx {
    /// Grants cross-tenant access for `reason`, which must not be blank.
    pub fn new(reason: &'static str) -> Result<Self, MissingReason> {
        if reason.trim().is_empty() {
            return Err(MissingReason);
        }
        Ok(Self { reason })
    }

    /// Why cross-tenant access was granted.
    pub fn reason(&self) -> &'static str {
        self.reason
    }
}

/// A connection for cross-tenant work: it runs any Diesel query, and it can only
/// be opened with an [`AdminCtx`].
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
        run(query, self.raw.raw_connection())
    }
}
