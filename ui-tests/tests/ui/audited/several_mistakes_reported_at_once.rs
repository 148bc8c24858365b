// Every mistake is reported in one run, not one per build.
use tenant_diesel::audit::Auditor;
use tenant_diesel::prelude::*;

#[audited(target = acount_id, ctx = tenant)]
fn select_account(ctx: &TenantCtx, audit: &Auditor, account_id: i64) {
    let _ = (ctx, audit, account_id);
}

fn main() {}
