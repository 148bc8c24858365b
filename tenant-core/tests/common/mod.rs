//! What the tenant-core test binaries share.

use std::convert::Infallible;

use tenant_core::{ActorId, MembershipCheck, Tenant};

/// A membership table in memory: (user, tenant id).
pub struct Memberships(pub Vec<(&'static str, i64)>);

impl MembershipCheck for Memberships {
    type Error = Infallible;
    fn is_member(&self, actor: &ActorId, tenant: &Tenant) -> Result<bool, Infallible> {
        Ok(self
            .0
            .iter()
            .any(|(u, t)| *u == actor.as_str() && *t == tenant.id.get()))
    }
}
