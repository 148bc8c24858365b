//! Tenant-keyed key-value stores: the trait, the in-memory store and (feature
//! `redis`) the Redis store.
//!
//! Every method takes a [`TenantKey`], never a `&str`, and
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
use crate::id::AnyTenantId;
use crate::key::{AsTenantKey, TenantKey};

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

/// The tenant whose keys [`KeyValueStore::clear_tenant_keys`] removes: made only
/// from a tenant context, so clearing a tenant's state is always done for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenantToClear {
    tenant: AnyTenantId,
}

impl TenantToClear {
    /// The tenant of `ctx`.
    pub fn of(ctx: &(impl AsTenantCtx + ?Sized)) -> Self {
        Self {
            tenant: ctx.as_tenant_ctx().tenant_id().erase(),
        }
    }

    /// The tenant's id.
    pub fn tenant_id(&self) -> AnyTenantId {
        self.tenant
    }
}

/// A key-value store whose keys carry their tenant: values, expiry, member sets
/// (for presence) and clearing one tenant.
///
/// The methods applications call ([`get`](Self::get), [`set`](Self::set) ..)
/// are generic over [`AsTenantKey`], so a bare `&str` key fails to compile with
/// a message that names `ctx.cache_key(..)`. A store implements the `.._at`
/// methods, which take the [`TenantKey`] itself, and
/// [`clear_tenant_keys`](Self::clear_tenant_keys); those keep the trait
/// dyn-compatible: `Arc<dyn KeyValueStore>` is a store, chosen at run time
/// (memory or Redis, by configuration).
///
/// Implemented by [`MemoryStore`], `RedisStore` (feature `redis`), and
/// references, `Box`es and `Arc`s of a store (also of `dyn KeyValueStore`), so
/// one store can back a cache, session state and presence at once.
///
/// ```
/// use std::sync::Arc;
/// use tenant_core::store::{KeyValueStore, MemoryStore};
///
/// fn open(redis_url: Option<&str>) -> Arc<dyn KeyValueStore> {
///     match redis_url {
///         // With the `redis` feature: `Some(url) => Arc::new(RedisStore::open(url)?)`.
///         _ => Arc::new(MemoryStore::new()),
///     }
/// }
/// let store = open(None);
/// # struct Members;
/// # impl tenant_core::MembershipCheck for Members {
/// #     type Error = std::convert::Infallible;
/// #     fn is_member(&self, _: &tenant_core::ActorId, _: &tenant_core::Tenant) -> Result<bool, Self::Error> {
/// #         Ok(true)
/// #     }
/// # }
/// # let tenant = tenant_core::Tenant { id: tenant_core::TenantId::new(7),
/// #     slug: tenant_core::TenantSlug::parse("acme").unwrap(), name: "Acme".into(), plan: "free".into() };
/// # let ctx = tenant_core::ResolvedTenant::new(tenant)
/// #     .authorize(&tenant_core::ActorId::new("alice"), &Members).unwrap();
/// store.set(ctx.cache_key("greeting"), b"hello", None)?;
/// assert_eq!(store.get(ctx.cache_key("greeting"))?, Some(b"hello".to_vec()));
/// # Ok::<(), tenant_core::store::StoreError>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a tenant-keyed store",
    label = "expected a `KeyValueStore`",
    note = "use `MemoryStore::new()` or, with the `redis` feature, `RedisStore::open(url)?`; a `&store`, `Arc<store>` or `Arc<dyn KeyValueStore>` works too"
)]
pub trait KeyValueStore: Send + Sync {
    /// The value under `key`, `None` if there is none (or it expired).
    fn get_at(&self, key: &TenantKey) -> Result<Option<Vec<u8>>, StoreError>;

    /// Stores `value` under `key`, replacing what was there; with `ttl`, the key
    /// expires after that long (rounded up to whole milliseconds, at least one).
    fn set_at(
        &self,
        key: &TenantKey,
        value: &[u8],
        ttl: Option<Duration>,
    ) -> Result<(), StoreError>;

    /// Removes `key`; whether it was there.
    fn delete_at(&self, key: &TenantKey) -> Result<bool, StoreError>;

    /// How long `key` has left.
    fn ttl_at(&self, key: &TenantKey) -> Result<Expiry, StoreError>;

    /// Adds `member` to the set under `key`; whether it was new.
    fn add_member_at(&self, key: &TenantKey, member: &str) -> Result<bool, StoreError>;

    /// Removes `member` from the set under `key`; whether it was there.
    fn remove_member_at(&self, key: &TenantKey, member: &str) -> Result<bool, StoreError>;

    /// The members of the set under `key`, sorted; empty if there is no set.
    fn members_at(&self, key: &TenantKey) -> Result<Vec<String>, StoreError>;

    /// Removes every key of `tenant`, and nothing else; how many.
    fn clear_tenant_keys(&self, tenant: TenantToClear) -> Result<u64, StoreError>;

    /// The value under `key`, `None` if there is none (or it expired).
    fn get(&self, key: impl AsTenantKey) -> Result<Option<Vec<u8>>, StoreError>
    where
        Self: Sized,
    {
        self.get_at(key.as_tenant_key())
    }

    /// Stores `value` under `key`, replacing what was there; with `ttl`, the key
    /// expires after that long (rounded up to whole milliseconds, at least one).
    fn set(
        &self,
        key: impl AsTenantKey,
        value: &[u8],
        ttl: Option<Duration>,
    ) -> Result<(), StoreError>
    where
        Self: Sized,
    {
        self.set_at(key.as_tenant_key(), value, ttl)
    }

    /// Removes `key`; whether it was there.
    fn delete(&self, key: impl AsTenantKey) -> Result<bool, StoreError>
    where
        Self: Sized,
    {
        self.delete_at(key.as_tenant_key())
    }

    /// How long `key` has left.
    fn ttl(&self, key: impl AsTenantKey) -> Result<Expiry, StoreError>
    where
        Self: Sized,
    {
        self.ttl_at(key.as_tenant_key())
    }

    /// Adds `member` to the set under `key`; whether it was new.
    fn add_member(&self, key: impl AsTenantKey, member: &str) -> Result<bool, StoreError>
    where
        Self: Sized,
    {
        self.add_member_at(key.as_tenant_key(), member)
    }

    /// Removes `member` from the set under `key`; whether it was there.
    fn remove_member(&self, key: impl AsTenantKey, member: &str) -> Result<bool, StoreError>
    where
        Self: Sized,
    {
        self.remove_member_at(key.as_tenant_key(), member)
    }

    /// The members of the set under `key`, sorted; empty if there is no set.
    fn members(&self, key: impl AsTenantKey) -> Result<Vec<String>, StoreError>
    where
        Self: Sized,
    {
        self.members_at(key.as_tenant_key())
    }

    /// Removes every key of `ctx`'s tenant, and nothing else; how many.
    ///
    /// Takes the context rather than a tenant id: clearing a tenant's state is
    /// something done for that tenant.
    fn clear_tenant(&self, ctx: &(impl AsTenantCtx + ?Sized)) -> Result<u64, StoreError>
    where
        Self: Sized,
    {
        self.clear_tenant_keys(TenantToClear::of(ctx))
    }
}

macro_rules! forward_store {
    ($($ty:ty),*) => {$(
        impl<S: KeyValueStore + ?Sized> KeyValueStore for $ty {
            fn get_at(&self, key: &TenantKey) -> Result<Option<Vec<u8>>, StoreError> {
                (**self).get_at(key)
            }
            fn set_at(&self, key: &TenantKey, value: &[u8], ttl: Option<Duration>) -> Result<(), StoreError> {
                (**self).set_at(key, value, ttl)
            }
            fn delete_at(&self, key: &TenantKey) -> Result<bool, StoreError> {
                (**self).delete_at(key)
            }
            fn ttl_at(&self, key: &TenantKey) -> Result<Expiry, StoreError> {
                (**self).ttl_at(key)
            }
            fn add_member_at(&self, key: &TenantKey, member: &str) -> Result<bool, StoreError> {
                (**self).add_member_at(key, member)
            }
            fn remove_member_at(&self, key: &TenantKey, member: &str) -> Result<bool, StoreError> {
                (**self).remove_member_at(key, member)
            }
            fn members_at(&self, key: &TenantKey) -> Result<Vec<String>, StoreError> {
                (**self).members_at(key)
            }
            fn clear_tenant_keys(&self, tenant: TenantToClear) -> Result<u64, StoreError> {
                (**self).clear_tenant_keys(tenant)
            }
        }
    )*};
}

forward_store!(&S, Box<S>, Arc<S>);

/// A TTL in whole milliseconds, rounded up and at least one: Redis' `PX` refuses
/// zero, and rounding down could make a short TTL "never expires" or "expired".
pub(crate) fn ttl_millis(ttl: Duration) -> u64 {
    let millis = ttl.as_nanos().div_ceil(1_000_000).max(1);
    u64::try_from(millis).unwrap_or(u64::MAX)
}
