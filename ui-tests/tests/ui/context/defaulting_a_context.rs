// Leak vector 10: there is no default tenant context.
use tenant_diesel::TenantCtx;

fn main() {
    let _ctx = TenantCtx::default();
}
