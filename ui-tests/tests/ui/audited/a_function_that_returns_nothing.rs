// Under a fail-closed auditor a failed audit write must stop the call and reach the caller: the function returns a Result.
use tenant_diesel::audit::Auditor;
use tenant_diesel::prelude::*;

#[audited(action = "select_account")]
fn select_account(ctx: &TenantCtx, audit: &Auditor) {
    let _ = (ctx, audit);
}

fn main() {}
