// #[audited] audits a function's calls; on anything else there is no call to audit.
use tenant_diesel::audit::{AuditError, Auditor};
use tenant_diesel::prelude::*;

#[audited(action = "select_account")]
struct Account {
    id: i64,
}

fn _uses(_: &TenantCtx, _: &Auditor) -> Result<(), AuditError> {
    Ok(())
}

fn main() {}
