use crate::actor::ActorId;
use crate::key::AsTenantKey;
use crate::store::{KeyValueStore, MemoryStore, StoreError};

/// Who is present on a topic (a document, a dashboard), per tenant.
///
/// A topic's key comes from [`TenantCtx::presence_key`](crate::TenantCtx::presence_key),
/// so the same topic under two tenants is two member sets.
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
/// # let acme = context(1, "acme");
/// # let contoso = context(2, "contoso");
/// use tenant_core::{ActorId, Presence};
///
/// let presence = Presence::new();
/// presence.join(acme.presence_key("doc/42"), &ActorId::new("alice"))?;
/// assert_eq!(presence.list(acme.presence_key("doc/42"))?, [ActorId::new("alice")]);
/// assert!(presence.list(contoso.presence_key("doc/42"))?.is_empty());
/// # Ok::<(), tenant_core::store::StoreError>(())
/// ```
#[derive(Debug)]
pub struct Presence<S = MemoryStore> {
    store: S,
}

impl Presence<MemoryStore> {
    /// Presence kept in this process.
    pub fn new() -> Self {
        Self::with_store(MemoryStore::new())
    }
}

impl Default for Presence<MemoryStore> {
    fn default() -> Self {
        Self::new()
    }
}

impl<S: KeyValueStore> Presence<S> {
    /// Presence kept in `store` (a `RedisStore` for several processes).
    pub fn with_store(store: S) -> Self {
        Self { store }
    }

    /// `member` joins the topic; whether they were not there yet.
    pub fn join(&self, topic: impl AsTenantKey, member: &ActorId) -> Result<bool, StoreError> {
        self.store.add_member(topic, member.as_str())
    }

    /// `member` leaves the topic; whether they were there.
    pub fn leave(&self, topic: impl AsTenantKey, member: &ActorId) -> Result<bool, StoreError> {
        self.store.remove_member(topic, member.as_str())
    }

    /// Who is on the topic, sorted.
    pub fn list(&self, topic: impl AsTenantKey) -> Result<Vec<ActorId>, StoreError> {
        Ok(self
            .store
            .members(topic)?
            .into_iter()
            .map(ActorId::new)
            .collect())
    }
}
