// Leak vector 3 through the cache's compute path: the first tenant's value would
// be served to every tenant.
use tenant_diesel::prelude::*;

fn main() {
    let cache: TenantCache<String> = TenantCache::new();
    let _ = cache.get_or_compute("dashboard_summary", None, || "3 accounts".to_string());
}
