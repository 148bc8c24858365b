//! The tenant-keyed store behind the summary cache and the session state: in
//! memory by default, Redis when `REDIS_URL` is set.

use std::time::Duration;

use tenant_diesel::store::{Expiry, KeyValueStore, MemoryStore, RedisStore, StoreError};
use tenant_diesel::{AsTenantCtx, AsTenantKey};

/// One of the library's two stores, chosen at start-up.
pub enum Store {
    /// In this process.
    Memory(MemoryStore),
    /// On a Redis server.
    Redis(Box<RedisStore>),
}

impl Store {
    /// Redis at `url` when given (a malformed URL stops the start-up; the server
    /// is reached on first use, and a request it cannot serve fails with a 500),
    /// memory otherwise.
    pub fn open(redis_url: Option<&str>) -> Result<Self, StoreError> {
        match redis_url {
            None => Ok(Self::Memory(MemoryStore::new())),
            Some(url) => {
                let store = RedisStore::open(url)?;
                Ok(Self::Redis(Box::new(store)))
            }
        }
    }

    /// `memory` or `redis`, for the start-up banner.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Memory(_) => "memory",
            Self::Redis(_) => "redis",
        }
    }
}

macro_rules! both {
    ($self:ident, $store:ident => $call:expr) => {
        match $self {
            Store::Memory($store) => $call,
            Store::Redis($store) => $call,
        }
    };
}

impl KeyValueStore for Store {
    fn get(&self, key: impl AsTenantKey) -> Result<Option<Vec<u8>>, StoreError> {
        both!(self, s => s.get(key))
    }
    fn set(
        &self,
        key: impl AsTenantKey,
        value: &[u8],
        ttl: Option<Duration>,
    ) -> Result<(), StoreError> {
        both!(self, s => s.set(key, value, ttl))
    }
    fn delete(&self, key: impl AsTenantKey) -> Result<bool, StoreError> {
        both!(self, s => s.delete(key))
    }
    fn ttl(&self, key: impl AsTenantKey) -> Result<Expiry, StoreError> {
        both!(self, s => s.ttl(key))
    }
    fn add_member(&self, key: impl AsTenantKey, member: &str) -> Result<bool, StoreError> {
        both!(self, s => s.add_member(key, member))
    }
    fn remove_member(&self, key: impl AsTenantKey, member: &str) -> Result<bool, StoreError> {
        both!(self, s => s.remove_member(key, member))
    }
    fn members(&self, key: impl AsTenantKey) -> Result<Vec<String>, StoreError> {
        both!(self, s => s.members(key))
    }
    fn clear_tenant(&self, ctx: &(impl AsTenantCtx + ?Sized)) -> Result<u64, StoreError> {
        both!(self, s => s.clear_tenant(ctx))
    }
}
