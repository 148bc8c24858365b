// A target names the parameter whose value is recorded; a misspelt one would record nothing.
use tenant_diesel::audit::{AuditError, Auditor};
use tenant_diesel::prelude::*;

#[audited(action = "select_account", target = acount_id)]
fn select_account(ctx: &TenantCtx, audit: &Auditor, account_id: i64) -> Result<(), AuditError> {
    let _ = (ctx, audit, account_id);
    Ok(())
}

fn main() {}
