//! Tenant-keyed key-value stores: the trait, the in-memory store and (feature
//! `redis`) the Redis store.
//!
//! Every method takes a [`TenantKey`](crate::TenantKey), never a `&str`, and
//! [`clear_tenant`](KeyValueStore::clear_tenant) removes one tenant's keys, never
//! everything. A store that cannot answer says so with an error: it never answers
//! "not found" for a key it could not read, because a cache would then fill it.

mod memory;
#[cfg(feature = "redis")]
mod redis;

use std::error::Error;
use std::sync::Arc;
use std::time::Duration;

pub use memory::MemoryStore;
#[cfg(feature = "redis")]
pub use redis::RedisStore;

use crate::ctx::AsTenantCtx;
use crate::key::AsTenantKey;

/// How long a key has left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// There is no such key.
    Missing,
    /// The key never expires.
    Never,
    /// The key expires after this long.
    In(Duration),
}

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The backend could not be reached or refused the command: the answer is
    /// unknown, which is never the same as "no such key".
    #[error("the store did not answer: {0}")]
    Backend(#[source] Box<dyn Error + Send + Sync>),
    /// The key holds a value where a member set was expected, or the reverse.
    #[error("the key `{0}` holds another kind of value")]
    WrongType(String),
    /// A cached value could not be turned into bytes or back.
    #[error("cannot {action} the value of `{key}`: {source}")]
    Codec {
        /// `encode` or `decode`.
        action: &'static str,
        /// The encoded key.
        key: String,
        /// The serializer's error.
        #[source]
        source: Box<dyn Error + Send + Sync>,
    },
}

/// A key-value store whose keys carry their tenant: values, expiry, member sets
/// (for presence) and clearing one tenant.
///
/// Its methods are generic over [`AsTenantKey`], so a bare `&str` key fails to
/// compile with a message that names `ctx.cache_key(..)`. Implemented by
/// [`MemoryStore`], `RedisStore` (feature `redis`), and references and `Arc`s of
/// a store, so one store can back a cache, session state and presence at once.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a tenant-keyed store",
    label = "expected a `KeyValueStore`",
    note = "use `MemoryStore::new()` or, with the `redis` feature, `RedisStore::open(url)?`; a `&store` or `Arc<store>` works too"
)]
pub trait KeyValueStore: Send + Sync {
    /// The value under `key`, `None` if there is none (or it expired).
    fn get(&self, key: impl AsTenantKey) -> Result<Option<Vec<u8>>, StoreError>;

    /// Stores `value` under `key`, replacing what was there; with `ttl`, the key
    /// expires after that long (rounded up to whole milliseconds, at least one).
    fn set(
        &self,
        key: impl AsTenantKey,
        value: &[u8],
        ttl: Option<Duration>,
    ) -> Result<(), StoreError>;

    /// Removes `key`; whether it was there.
    fn delete(&self, key: impl AsTenantKey) -> Result<bool, StoreError>;

    /// How long `key` has left.
    fn ttl(&self, key: impl AsTenantKey) -> Result<Expiry, StoreError>;

    /// Adds `member` to the set under `key`; whether it was new.
    fn add_member(&self, key: impl AsTenantKey, member: &str) -> Result<bool, StoreError>;

    /// Removes `member` from the set under `key`; whether it was there.
    fn remove_member(&self, key: impl AsTenantKey, member: &str) -> Result<bool, StoreError>;

    /// The members of the set under `key`, sorted; empty if there is no set.
    fn members(&self, key: impl AsTenantKey) -> Result<Vec<String>, StoreError>;

    /// Removes every key of `ctx`'s tenant, and nothing else; how many.
    ///
    /// Takes the context rather than a tenant id: clearing a tenant's state is
    /// something done for that tenant.
    fn clear_tenant(&self, ctx: &(impl AsTenantCtx + ?Sized)) -> Result<u64, StoreError>;
}

macro_rules! forward_store {
    ($($ty:ty),*) => {$(
        impl<S: KeyValueStore + ?Sized> KeyValueStore for $ty {
            fn get(&self, key: impl AsTenantKey) -> Result<Option<Vec<u8>>, StoreError> {
                (**self).get(key)
            }
            fn set(&self, key: impl AsTenantKey, value: &[u8], ttl: Option<Duration>) -> Result<(), StoreError> {
                (**self).set(key, value, ttl)
            }
            fn delete(&self, key: impl AsTenantKey) -> Result<bool, StoreError> {
                (**self).delete(key)
            }
            fn ttl(&self, key: impl AsTenantKey) -> Result<Expiry, StoreError> {
                (**self).ttl(key)
            }
            fn add_member(&self, key: impl AsTenantKey, member: &str) -> Result<bool, StoreError> {
                (**self).add_member(key, member)
            }
            fn remove_member(&self, key: impl AsTenantKey, member: &str) -> Result<bool, StoreError> {
                (**self).remove_member(key, member)
            }
            fn members(&self, key: impl AsTenantKey) -> Result<Vec<String>, StoreError> {
                (**self).members(key)
            }
            fn clear_tenant(&self, ctx: &(impl AsTenantCtx + ?Sized)) -> Result<u64, StoreError> {
                (**self).clear_tenant(ctx)
            }
        }
    )*};
}

forward_store!(&S, Arc<S>);

/// A TTL in whole milliseconds, rounded up and at least one: Redis' `PX` refuses
/// zero, and rounding down could make a short TTL "never expires" or "expired".
pub(crate) fn ttl_millis(ttl: Duration) -> u64 {
    let millis = ttl.as_nanos().div_ceil(1_000_000).max(1);
    u64::try_from(millis).unwrap_or(u64::MAX)
}
