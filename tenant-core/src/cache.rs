use std::marker::PhantomData;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::ctx::AsTenantCtx;
use crate::key::AsTenantKey;
use crate::store::{KeyValueStore, MemoryStore, StoreError};

/// A cache of `V` on a tenant-keyed store, whose keys always carry their tenant.
///
/// Values are stored as JSON. On [`MemoryStore`] by default; on Redis with
/// [`TenantCache::with_store`].
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
/// use tenant_core::TenantCache;
///
/// let cache = TenantCache::new();
/// cache.set(ctx.cache_key("dashboard_summary"), &"3 accounts".to_string())?;
/// assert_eq!(cache.get(&ctx.cache_key("dashboard_summary"))?.as_deref(), Some("3 accounts"));
/// # Ok::<(), tenant_core::store::StoreError>(())
/// ```
///
/// ```compile_fail
/// let cache = tenant_core::TenantCache::<String>::new();
/// cache.get("dashboard_summary"); // shared by every tenant: does not compile
/// ```
#[derive(Debug)]
pub struct TenantCache<V, S = MemoryStore> {
    store: S,
    values: PhantomData<fn() -> V>,
}

impl<V> TenantCache<V, MemoryStore> {
    /// An empty cache in this process.
    pub fn new() -> Self {
        Self::with_store(MemoryStore::new())
    }
}

impl<V> Default for TenantCache<V, MemoryStore> {
    fn default() -> Self {
        Self::new()
    }
}

impl<V, S: KeyValueStore> TenantCache<V, S> {
    /// A cache on `store` (a `RedisStore`, or a `&store` shared with other uses).
    pub fn with_store(store: S) -> Self {
        Self {
            store,
            values: PhantomData,
        }
    }

    /// The store underneath.
    pub fn store(&self) -> &S {
        &self.store
    }
}

impl<V: Serialize + DeserializeOwned, S: KeyValueStore> TenantCache<V, S> {
    /// The value cached under `key`, if any. A store that cannot answer is an
    /// error, never `None`.
    pub fn get(&self, key: impl AsTenantKey) -> Result<Option<V>, StoreError> {
        let key = key.as_tenant_key();
        self.store
            .get(key)?
            .map(|bytes| {
                serde_json::from_slice(&bytes).map_err(|e| StoreError::Codec {
                    action: "decode",
                    key: key.to_string(),
                    source: Box::new(e),
                })
            })
            .transpose()
    }

    /// Caches `value` under `key` until it is removed.
    pub fn set(&self, key: impl AsTenantKey, value: &V) -> Result<(), StoreError> {
        self.put(key, value, None)
    }

    /// Caches `value` under `key` for `ttl`.
    pub fn set_with_ttl(
        &self,
        key: impl AsTenantKey,
        value: &V,
        ttl: Duration,
    ) -> Result<(), StoreError> {
        self.put(key, value, Some(ttl))
    }

    /// Removes the value under `key`; whether there was one.
    pub fn remove(&self, key: impl AsTenantKey) -> Result<bool, StoreError> {
        self.store.delete(key)
    }

    /// The value under `key`, or else `compute()`'s, cached for `ttl` (`None`:
    /// until removed).
    ///
    /// `compute` runs only after the store has answered "no such key": when the
    /// store fails, the error is returned and nothing is computed or written.
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
    /// # let cache = tenant_core::TenantCache::<u32>::new();
    /// use std::time::Duration;
    ///
    /// let key = ctx.cache_key("account_count");
    /// assert_eq!(cache.get_or_compute(&key, Some(Duration::from_secs(60)), || 3)?, 3);
    /// assert_eq!(cache.get_or_compute(&key, None, || unreachable!())?, 3);
    /// # Ok::<(), tenant_core::store::StoreError>(())
    /// ```
    pub fn get_or_compute(
        &self,
        key: impl AsTenantKey,
        ttl: Option<Duration>,
        compute: impl FnOnce() -> V,
    ) -> Result<V, StoreError> {
        self.try_get_or_compute(key, ttl, || Ok::<_, StoreError>(compute()))
    }

    /// Like [`get_or_compute`](Self::get_or_compute), for a computation that can
    /// fail (a database query): its error is returned and nothing is cached.
    pub fn try_get_or_compute<E: From<StoreError>>(
        &self,
        key: impl AsTenantKey,
        ttl: Option<Duration>,
        compute: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        let key = key.as_tenant_key();
        if let Some(value) = self.get(key)? {
            return Ok(value);
        }
        let value = compute()?;
        self.put(key, &value, ttl)?;
        Ok(value)
    }

    /// Removes every cached value of `ctx`'s tenant (and, on a shared store, its
    /// state and presence keys), and nothing of any other tenant.
    pub fn clear_tenant(&self, ctx: &(impl AsTenantCtx + ?Sized)) -> Result<u64, StoreError> {
        self.store.clear_tenant(ctx)
    }

    fn put(
        &self,
        key: impl AsTenantKey,
        value: &V,
        ttl: Option<Duration>,
    ) -> Result<(), StoreError> {
        let key = key.as_tenant_key();
        let bytes = serde_json::to_vec(value).map_err(|e| StoreError::Codec {
            action: "encode",
            key: key.to_string(),
            source: Box::new(e),
        })?;
        self.store.set(key, &bytes, ttl)
    }
}
