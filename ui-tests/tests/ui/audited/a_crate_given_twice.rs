// Two paths of tenant-diesel: the generated code would name only one.
use tenant_diesel::audit::{AuditError, Auditor};
use tenant_diesel::prelude::*;

#[audited(crate = tenant_diesel, crate = tenant_diesel, action = "select_account")]
fn select_account(ctx: &TenantCtx, audit: &Auditor, account_id: i64) -> Result<(), AuditError> {
    let _ = (ctx, audit, account_id);
    Ok(())
}

fn main() {}
