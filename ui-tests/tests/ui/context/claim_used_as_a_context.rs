// Leak vector 16: a job's claim must be re-validated before it opens anything.
use tenant_diesel::{TenantClaim, TenantCtx};
use tenant_diesel_ui_tests::Account;

fn run_job(claim: TenantClaim) {
    let _ = Account::scoped(&claim);
    let _ctx: TenantCtx = claim.into();
}

fn main() {}
