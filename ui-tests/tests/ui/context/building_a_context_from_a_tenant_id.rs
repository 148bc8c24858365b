// Leak vector 10: an id alone opens nothing.
use tenant_diesel::{TenantCtx, TenantId};

fn main() {
    let _ctx = TenantCtx::new(TenantId::new(2));
    let _ctx: TenantCtx = TenantId::new(2).into();
}
