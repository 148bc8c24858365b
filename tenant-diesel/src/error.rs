use tenant_core::AnyTenantId;

/// A scoped query built for one tenant was run on another tenant's connection.
///
/// Returned (inside [`diesel::result::Error::QueryBuilderError`]) before any SQL is
/// sent. Downcast it to tell it apart from other builder errors:
///
/// ```
/// # use tenant_diesel::TenantMismatch;
/// fn is_mismatch(err: &diesel::result::Error) -> bool {
///     matches!(err, diesel::result::Error::QueryBuilderError(e) if e.is::<TenantMismatch>())
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a query scoped to tenant {query} was run on a connection for tenant {connection}; nothing was sent to the database")]
pub struct TenantMismatch {
    /// The tenant the query was scoped to.
    pub query: AnyTenantId,
    /// The tenant the connection acts for.
    pub connection: AnyTenantId,
}

impl From<TenantMismatch> for diesel::result::Error {
    fn from(mismatch: TenantMismatch) -> Self {
        diesel::result::Error::QueryBuilderError(Box::new(mismatch))
    }
}
