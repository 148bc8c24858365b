// A key names its value: `target` alone does not say which parameter.
use tenant_diesel::audit::{AuditError, Auditor};
use tenant_diesel::prelude::*;

#[audited(action = "select_account", target)]
fn select_account(ctx: &TenantCtx, audit: &Auditor, account_id: i64) -> Result<(), AuditError> {
    let _ = (ctx, audit, account_id);
    Ok(())
}

fn main() {}
