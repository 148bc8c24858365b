// Leak vector 16: a claim converts into nothing; `revalidate` is the only way on.
use tenant_diesel::{TenantClaim, TenantCtx};

fn run_job(claim: &TenantClaim) -> TenantCtx {
    TenantCtx::from(claim.clone())
}

fn main() {}
