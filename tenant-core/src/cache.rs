use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use crate::key::TenantKey;

/// Implemented only by [`TenantKey`]: what a tenant-keyed store accepts as a key.
///
/// Sealed, so a `&str` or `String` key shared by every tenant cannot be passed.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a tenant key: a bare key is shared by every tenant",
    label = "this key does not carry the tenant",
    note = "build the key from the tenant context: `ctx.cache_key(\"dashboard_summary\")`"
)]
pub trait AsTenantKey: sealed::Sealed {
    /// The tenant key itself.
    fn as_tenant_key(&self) -> &TenantKey;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::TenantKey {}
    impl Sealed for &crate::TenantKey {}
}

impl AsTenantKey for TenantKey {
    fn as_tenant_key(&self) -> &TenantKey {
        self
    }
}

impl AsTenantKey for &TenantKey {
    fn as_tenant_key(&self) -> &TenantKey {
        self
    }
}

/// An in-memory cache whose keys always carry their tenant.
///
/// ```
/// # let ctx = tenant_core::doc_support::context("acme");
/// use tenant_core::TenantCache;
///
/// let cache = TenantCache::new();
/// cache.set(ctx.cache_key("dashboard_summary"), "3 accounts".to_string());
/// assert_eq!(cache.get(&ctx.cache_key("dashboard_summary")).as_deref(), Some("3 accounts"));
/// ```
///
/// ```compile_fail
/// let cache = tenant_core::TenantCache::<String>::new();
/// cache.get("dashboard_summary"); // shared by every tenant: does not compile
/// ```
#[derive(Debug)]
pub struct TenantCache<V> {
    entries: Mutex<HashMap<TenantKey, V>>,
}

impl<V> Default for TenantCache<V> {
    fn default() -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

impl<V: Clone> TenantCache<V> {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value stored under `key`, if any.
    pub fn get(&self, key: impl AsTenantKey) -> Option<V> {
        self.lock().get(key.as_tenant_key()).cloned()
    }

    /// Stores `value` under `key`, replacing what was there.
    pub fn set(&self, key: impl AsTenantKey, value: V) {
        self.lock().insert(key.as_tenant_key().clone(), value);
    }

    /// Removes the value under `key`, returning it.
    pub fn remove(&self, key: impl AsTenantKey) -> Option<V> {
        self.lock().remove(key.as_tenant_key())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<TenantKey, V>> {
        // A panic while holding the lock cannot leave a half-written entry behind
        // (insert and remove are single calls), so the map is still consistent.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
