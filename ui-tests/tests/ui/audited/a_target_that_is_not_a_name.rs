// The target is the name of a parameter, whose value is recorded.
use tenant_diesel::audit::{AuditError, Auditor};
use tenant_diesel::prelude::*;

#[audited(action = "select_account", target = 42)]
fn select_account(ctx: &TenantCtx, audit: &Auditor, account_id: i64) -> Result<(), AuditError> {
    let _ = (ctx, audit, account_id);
    Ok(())
}

fn main() {}
