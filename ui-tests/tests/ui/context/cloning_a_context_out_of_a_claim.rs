// Leak vector 16: a claim converts into nothing; `revalidate` is the only way on.
use tenant_diesel::{SealedClaim, TenantCtx};

fn run_job(claim: &SealedClaim) -> TenantCtx {
    TenantCtx::from(claim.clone())
}

fn main() {}
