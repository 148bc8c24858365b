use std::collections::{BTreeSet, HashMap};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::{ttl_millis, Expiry, KeyValueStore, StoreError, TenantToClear};
use crate::key::TenantKey;

/// The default store: a map in this process, keyed by [`TenantKey`].
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
/// use tenant_core::store::{KeyValueStore, MemoryStore};
///
/// let store = MemoryStore::new();
/// store.set(acme.state_key("s-1", "cart"), b"3 items", None)?;
/// assert_eq!(store.get(contoso.state_key("s-1", "cart"))?, None);
/// # Ok::<(), tenant_core::store::StoreError>(())
/// ```
#[derive(Debug, Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<TenantKey, Entry>>,
}

#[derive(Debug)]
struct Entry {
    value: Value,
    expires: Option<Instant>,
}

#[derive(Debug)]
enum Value {
    Bytes(Vec<u8>),
    Members(BTreeSet<String>),
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<TenantKey, Entry>> {
        // Every change is one map call, so a panic elsewhere while the lock was
        // held cannot have left a half-written entry behind.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The live entry under `key`, dropping it first if it has expired.
    fn live<'m>(map: &'m mut HashMap<TenantKey, Entry>, key: &TenantKey) -> Option<&'m mut Entry> {
        if map
            .get(key)
            .and_then(|e| e.expires)
            .is_some_and(|at| at <= Instant::now())
        {
            map.remove(key);
        }
        map.get_mut(key)
    }
}

impl KeyValueStore for MemoryStore {
    fn get_at(&self, key: &TenantKey) -> Result<Option<Vec<u8>>, StoreError> {
        match Self::live(&mut self.lock(), key) {
            None => Ok(None),
            Some(Entry {
                value: Value::Bytes(bytes),
                ..
            }) => Ok(Some(bytes.clone())),
            Some(_) => Err(StoreError::WrongType(key.to_string())),
        }
    }

    fn set_at(
        &self,
        key: &TenantKey,
        value: &[u8],
        ttl: Option<Duration>,
    ) -> Result<(), StoreError> {
        let expires = ttl.map(|ttl| Instant::now() + Duration::from_millis(ttl_millis(ttl)));
        self.lock().insert(
            key.clone(),
            Entry {
                value: Value::Bytes(value.to_vec()),
                expires,
            },
        );
        Ok(())
    }

    fn delete_at(&self, key: &TenantKey) -> Result<bool, StoreError> {
        let mut map = self.lock();
        Ok(Self::live(&mut map, key).is_some() && map.remove(key).is_some())
    }

    fn ttl_at(&self, key: &TenantKey) -> Result<Expiry, StoreError> {
        Ok(match Self::live(&mut self.lock(), key) {
            None => Expiry::Missing,
            Some(Entry { expires: None, .. }) => Expiry::Never,
            Some(Entry {
                expires: Some(at), ..
            }) => Expiry::In(at.saturating_duration_since(Instant::now())),
        })
    }

    fn add_member_at(&self, key: &TenantKey, member: &str) -> Result<bool, StoreError> {
        let mut map = self.lock();
        if Self::live(&mut map, key).is_none() {
            map.insert(
                key.clone(),
                Entry {
                    value: Value::Members(BTreeSet::new()),
                    expires: None,
                },
            );
        }
        match map.get_mut(key).map(|e| &mut e.value) {
            Some(Value::Members(members)) => Ok(members.insert(member.to_owned())),
            _ => Err(StoreError::WrongType(key.to_string())),
        }
    }

    fn remove_member_at(&self, key: &TenantKey, member: &str) -> Result<bool, StoreError> {
        let mut map = self.lock();
        let removed = match Self::live(&mut map, key).map(|e| &mut e.value) {
            None => return Ok(false),
            Some(Value::Members(members)) => (members.remove(member), members.is_empty()),
            Some(Value::Bytes(_)) => return Err(StoreError::WrongType(key.to_string())),
        };
        // Like Redis, an emptied set is no key at all.
        if removed.1 {
            map.remove(key);
        }
        Ok(removed.0)
    }

    fn members_at(&self, key: &TenantKey) -> Result<Vec<String>, StoreError> {
        match Self::live(&mut self.lock(), key).map(|e| &e.value) {
            None => Ok(Vec::new()),
            Some(Value::Members(members)) => Ok(members.iter().cloned().collect()),
            Some(Value::Bytes(_)) => Err(StoreError::WrongType(key.to_string())),
        }
    }

    fn clear_tenant_keys(&self, tenant: TenantToClear) -> Result<u64, StoreError> {
        let tenant = tenant.tenant_id();
        let mut map = self.lock();
        let before = map.len();
        map.retain(|key, _| key.tenant_id() != tenant);
        Ok((before - map.len()) as u64)
    }
}
