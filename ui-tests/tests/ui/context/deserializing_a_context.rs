// Leak vector 10: a context never comes out of a payload; a job carries a claim.
use tenant_diesel::TenantCtx;

fn main() {
    let _ctx: TenantCtx = toml::from_str("tenant = 2").unwrap();
}
