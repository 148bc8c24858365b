// The auditor the event is written to is a parameter of the function.
use tenant_diesel::audit::AuditError;
use tenant_diesel::prelude::*;

#[audited(action = "select_account", ctx = tenant)]
fn select_account(tenant: &TenantCtx) -> Result<(), AuditError> {
    let _ = tenant;
    Ok(())
}

fn main() {}
