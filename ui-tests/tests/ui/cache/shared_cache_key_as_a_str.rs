// Leak vector 3: a cache key every tenant shares.
use tenant_diesel::prelude::*;

fn main() {
    let cache: TenantCache<String> = TenantCache::new();
    let _summary = cache.get("dashboard_summary");
}
