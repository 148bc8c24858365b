// Cross-tenant access is never a default: it needs `AdminCtx::new("reason")`.
use tenant_diesel::AdminCtx;

fn main() {
    let _admin = AdminCtx::default();
}
