// Vector 3, fixed: the key comes from the context.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::acme;

fn main() {
    let ctx = acme();
    let cache: TenantCache<String> = TenantCache::new();
    cache.set(ctx.cache_key("dashboard_summary"), &"1 account".to_string()).unwrap();
    assert_eq!(cache.get(&ctx.cache_key("dashboard_summary")).unwrap().as_deref(), Some("1 account"));
}
