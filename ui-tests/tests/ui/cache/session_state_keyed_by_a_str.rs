// Leak vector 15: session state keyed by the session id alone, shared by every tenant.
use tenant_diesel::store::{KeyValueStore, MemoryStore};

fn main() {
    let store = MemoryStore::new();
    let _cart = store.get("session:s-42:cart");
}
