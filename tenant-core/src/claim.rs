use std::error::Error;

use serde::{Deserialize, Serialize};

use crate::ctx::TenantCtx;
use crate::directory::TenantDirectory;
use crate::id::TenantId;
use crate::membership::{authorize, AccessDenied, ActorId, MembershipCheck};
use crate::slug::TenantSlug;

/// What a background job carries instead of a [`TenantCtx`]: who acted for which tenant.
///
/// A claim is plain data: it serialises into a job payload and deserialises out of
/// one, and so it grants nothing. A job turns it back into a context with
/// [`revalidate`](Self::revalidate), which checks again that the tenant still exists
/// (same id under the same slug) and that the actor is still a member, because
/// either may have changed between enqueueing and running.
///
/// ```
/// # use std::convert::Infallible;
/// use tenant_core::{ActorId, InMemoryDirectory, MembershipCheck, ResolvedTenant, Tenant,
///     TenantClaim, TenantId, TenantSlug};
///
/// struct Everyone;
/// impl MembershipCheck for Everyone {
///     type Error = Infallible;
///     fn is_member(&self, _: &ActorId, _: &Tenant) -> Result<bool, Infallible> { Ok(true) }
/// }
///
/// let acme = Tenant { id: TenantId::new(1), slug: TenantSlug::parse("acme").unwrap(),
///     name: "Acme".into(), plan: "pro".into() };
/// let directory = InMemoryDirectory::new([acme.clone()]);
/// let ctx = ResolvedTenant::new(acme).authorize(&ActorId::new("alice"), &Everyone).unwrap();
///
/// // Enqueue: the payload holds the claim, never the context.
/// let payload = toml::to_string(&ctx.claim()).unwrap();
///
/// // In the job:
/// let claim: TenantClaim = toml::from_str(&payload).unwrap();
/// let job_ctx = claim.revalidate(&directory, &Everyone).unwrap();
/// assert_eq!(job_ctx, ctx);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantClaim {
    tenant_id: i64,
    tenant_slug: TenantSlug,
    actor: ActorId,
}

/// Why a [`TenantClaim`] did not re-validate into a context.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClaimError {
    /// No tenant has the claim's slug any more.
    #[error("tenant `{0}` no longer exists")]
    TenantGone(TenantSlug),
    /// The slug now names another tenant (deleted and re-created, or renamed).
    #[error("tenant `{0}` is now a different tenant")]
    TenantReplaced(TenantSlug),
    /// The directory lookup failed.
    #[error("the tenant directory failed")]
    Directory(#[source] Box<dyn Error + Send + Sync>),
    /// The actor is no longer a member, or the check failed.
    #[error(transparent)]
    Denied(#[from] AccessDenied),
}

impl TenantClaim {
    pub(crate) fn new(tenant: TenantId, slug: TenantSlug, actor: ActorId) -> Self {
        Self {
            tenant_id: tenant.get(),
            tenant_slug: slug,
            actor,
        }
    }

    /// The tenant the claim was made for.
    pub fn tenant_id(&self) -> TenantId {
        TenantId::new(self.tenant_id)
    }

    /// The slug the tenant had when the claim was made.
    pub fn tenant_slug(&self) -> &TenantSlug {
        &self.tenant_slug
    }

    /// The user the job acts on behalf of.
    pub fn actor(&self) -> &ActorId {
        &self.actor
    }

    /// Checks the claim again and mints a fresh [`TenantCtx`].
    pub fn revalidate<D, M>(&self, directory: &D, membership: &M) -> Result<TenantCtx, ClaimError>
    where
        D: TenantDirectory + ?Sized,
        M: MembershipCheck + ?Sized,
    {
        let tenant = directory
            .find_by_slug(&self.tenant_slug)
            .map_err(|e| ClaimError::Directory(Box::new(e)))?
            .ok_or_else(|| ClaimError::TenantGone(self.tenant_slug.clone()))?;
        // A slug is reusable; the id is not. Matching both keeps a job from running
        // against a new tenant that took a deleted tenant's name.
        if tenant.id != self.tenant_id() {
            return Err(ClaimError::TenantReplaced(self.tenant_slug.clone()));
        }
        Ok(authorize(&tenant, self.actor.clone(), membership)?)
    }
}
