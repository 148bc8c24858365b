// Every audited call records what it did: the action is required.
use tenant_diesel::audit::{AuditError, Auditor};
use tenant_diesel::prelude::*;

#[audited(target = account_id)]
fn select_account(ctx: &TenantCtx, audit: &Auditor, account_id: i64) -> Result<(), AuditError> {
    let _ = (ctx, audit, account_id);
    Ok(())
}

fn main() {}
