// Leak vector 16: a job's claim must be re-validated before it opens anything.
use tenant_diesel::{SealedClaim, TenantCtx};
use tenant_diesel_ui_tests::Account;

fn run_job(claim: SealedClaim) {
    let _ = Account::scoped(&claim);
    let _ctx: TenantCtx = claim.into();
}

fn main() {}
