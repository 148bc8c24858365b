// `crate` alone does not say where tenant-diesel is.
use tenant_diesel::audit::{AuditError, Auditor};
use tenant_diesel::prelude::*;

#[audited(crate, action = "select_account")]
fn select_account(ctx: &TenantCtx, audit: &Auditor) -> Result<(), AuditError> {
    let _ = (ctx, audit);
    Ok(())
}

fn main() {}
