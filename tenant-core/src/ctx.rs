use crate::claim::TenantClaim;
use crate::directory::Tenant;
use crate::id::TenantId;
use crate::key::{KeyKind, TenantKey};
use crate::membership::ActorId;
use crate::slug::TenantSlug;

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
///
/// ```compile_fail
/// // Nor deserialised: a background job carries a `TenantClaim` and re-validates it.
/// fn needs_deserialize<T: serde::de::DeserializeOwned>() {}
/// needs_deserialize::<tenant_core::TenantCtx>();
/// ```
///
/// A context comes out of [`ResolvedTenant::authorize`](crate::ResolvedTenant::authorize)
/// or [`TenantClaim::revalidate`](crate::TenantClaim::revalidate), both of which ask
/// the application's membership check first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantCtx {
    tenant: TenantId,
    // `None` only for contexts from the temporary `mint_unverified`, which knows
    // neither; every verified context has both.
    slug: Option<TenantSlug>,
    actor: Option<ActorId>,
}

impl TenantCtx {
    /// The only constructor besides the temporary one: callers have just seen the
    /// membership check pass for `actor` on `tenant`.
    pub(crate) fn verified(tenant: &Tenant, actor: ActorId) -> Self {
        Self {
            tenant: tenant.id,
            slug: Some(tenant.slug.clone()),
            actor: Some(actor),
        }
    }

    /// The slug of the tenant this context acts for.
    ///
    /// `None` only for a context from the temporary unverified mint.
    pub fn slug(&self) -> Option<&TenantSlug> {
        self.slug.as_ref()
    }

    /// The user this context acts on behalf of, for audit.
    ///
    /// `None` only for a context from the temporary unverified mint.
    pub fn actor(&self) -> Option<&ActorId> {
        self.actor.as_ref()
    }

    /// A serialisable claim for a background job, re-validated into a context by the
    /// job with [`TenantClaim::revalidate`].
    ///
    /// `None` for a context from the temporary unverified mint, which records no actor
    /// a job could be re-checked for.
    pub fn claim(&self) -> Option<TenantClaim> {
        Some(TenantClaim::new(
            self.tenant,
            self.slug.clone()?,
            self.actor.clone()?,
        ))
    }

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
    TenantCtx {
        tenant,
        slug: None,
        actor: None,
    }
}
