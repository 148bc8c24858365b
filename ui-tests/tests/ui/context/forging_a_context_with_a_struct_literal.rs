// Leak vector 10: a context cannot be written down for a tenant of one's choice.
use tenant_diesel::{TenantCtx, TenantId};

fn main() {
    let _ctx = TenantCtx { tenant: TenantId::new(2) };
}
