// Leak vector 11: a resolved tenant is only a name from the request; it opens
// nothing until the membership check mints a context.
use tenant_diesel::{ResolvedTenant, TenantCtx};
use tenant_diesel_ui_tests::{acme_tenant, Account};

fn list(ctx: &TenantCtx) {
    let _ = Account::scoped(ctx);
}

fn main() {
    let resolved = ResolvedTenant::new(acme_tenant());
    list(&resolved);
}
