// Leak vector 3 with an owned key: still shared by every tenant.
use tenant_diesel::prelude::*;

fn main() {
    let cache: TenantCache<String> = TenantCache::new();
    let _ = cache.set(String::from("dashboard_summary"), &"3 accounts".to_string());
}
