// Leak vector 11: skipping the membership check leaves nothing to query with.
use tenant_diesel::ResolvedTenant;
use tenant_diesel_ui_tests::{acme_tenant, Account};

fn main() {
    let resolved = ResolvedTenant::new(acme_tenant());
    let _ = Account::scoped(&resolved);
}
