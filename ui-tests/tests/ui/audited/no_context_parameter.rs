// The actor and the tenant come from the context: the function must take one.
use tenant_diesel::audit::{AuditError, Auditor};
use tenant_diesel::prelude::*;

#[audited(action = "select_account")]
fn select_account(tenant: &TenantCtx, audit: &Auditor) -> Result<(), AuditError> {
    let _ = (tenant, audit);
    Ok(())
}

fn main() {}
