// Leak vector 15 through a store held as `Arc<dyn KeyValueStore>`: the generic
// methods still take only a tenant key, and the `.._at` methods only a
// `TenantKey`, which no string becomes.
use std::sync::Arc;

use tenant_diesel::store::{KeyValueStore, MemoryStore};

fn main() {
    let store: Arc<dyn KeyValueStore> = Arc::new(MemoryStore::new());
    let _ = store.get("session/alice/cart");
}
