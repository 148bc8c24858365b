//! The tenant-keyed store behind the summary cache and the session state: in
//! memory by default, Redis when `REDIS_URL` is set. The library's stores are
//! dyn-compatible, so the choice at start-up is an `Arc<dyn KeyValueStore>`.

use std::sync::Arc;

use tenant_diesel::store::{KeyValueStore, MemoryStore, RedisStore, StoreError};

/// The store the application holds, whichever it is.
pub type SharedStore = Arc<dyn KeyValueStore>;

/// Redis at `url` when given (a malformed URL stops the start-up; the server is
/// reached on first use, and a request it cannot serve fails with a 500),
/// memory otherwise; with `memory` or `redis`, for the start-up banner.
pub fn open(redis_url: Option<&str>) -> Result<(SharedStore, &'static str), StoreError> {
    Ok(match redis_url {
        None => (Arc::new(MemoryStore::new()), "memory"),
        Some(url) => (Arc::new(RedisStore::open(url)?), "redis"),
    })
}
