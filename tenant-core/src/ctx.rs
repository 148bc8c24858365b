use crate::id::TenantId;
use crate::key::{KeyKind, TenantKey};

/// Proof that the current unit of work acts for one tenant.
///
/// Every tenant-scoped query, cache key and store operation is derived from a
/// `TenantCtx`. It has private fields, no `Default`, no `Deserialize` and no public
/// constructor, so application code cannot forge one for a tenant it was never
/// granted. It holds no ambient state: pass it down explicitly, and async tasks or
/// thread pools cannot mix tenants.
///
/// ```compile_fail
/// // A context cannot be built by hand.
/// let ctx = tenant_core::TenantCtx { tenant: tenant_core::TenantId::new(2) };
/// ```
///
/// ```compile_fail
/// // Nor defaulted.
/// let ctx = tenant_core::TenantCtx::default();
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantCtx {
    tenant: TenantId,
}

impl TenantCtx {
    /// The tenant this context acts for.
    pub fn tenant_id(&self) -> TenantId {
        self.tenant
    }

    /// A cache key that belongs to this tenant only.
    ///
    /// ```
    /// # let ctx = tenant_core::__temporary::mint_unverified(tenant_core::TenantId::new(7));
    /// let key = ctx.cache_key("dashboard_summary");
    /// assert_eq!(key.tenant_id(), ctx.tenant_id());
    /// ```
    pub fn cache_key(&self, name: &str) -> TenantKey {
        TenantKey::new(self.tenant, KeyKind::Cache, &[name])
    }
}

/// Mints a context without any membership check.
///
/// **Temporary.** This is the foundation's only way to make a [`TenantCtx`] until
/// tenant resolution and the membership check land; it will then be removed, and a
/// context will only come out of `ResolvedTenant::authorize`. Do not call it from
/// request handling code.
#[doc(hidden)]
pub fn mint_unverified(tenant: TenantId) -> TenantCtx {
    TenantCtx { tenant }
}
