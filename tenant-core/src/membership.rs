use std::error::Error;

use crate::actor::{Actor, ActorId};
use crate::ctx::TenantCtx;
use crate::directory::Tenant;
use crate::id::{TenantId, TenantIdValue};
use crate::slug::TenantSlug;

/// The application's answer to "is this user a member of this tenant?", usually a
/// lookup in its `Membership` table. It is the only gate between a resolved tenant
/// and a [`TenantCtx`].
///
/// ```
/// use std::convert::Infallible;
/// use tenant_core::{ActorId, MembershipCheck, Tenant};
///
/// struct Memberships(Vec<(String, i64)>); // (user id, tenant id)
///
/// impl MembershipCheck for Memberships {
///     type Error = Infallible;
///     fn is_member(&self, actor: &ActorId, tenant: &Tenant) -> Result<bool, Infallible> {
///         Ok(self.0.iter().any(|(u, t)| u == actor.as_str() && *t == tenant.id.get()))
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot check tenant membership",
    label = "not a membership check",
    note = "implement `tenant_diesel::MembershipCheck` for it, usually over your `Membership` table: `fn is_member(&self, actor: &ActorId, tenant: &Tenant) -> Result<bool, Self::Error>`"
)]
pub trait MembershipCheck<V: TenantIdValue = i64> {
    /// Why the check could not be made; access is denied when it happens.
    type Error: Error + Send + Sync + 'static;

    /// Whether `actor` is (still) a member of `tenant`.
    fn is_member(&self, actor: &ActorId, tenant: &Tenant<V>) -> Result<bool, Self::Error>;
}

impl<V: TenantIdValue, M: MembershipCheck<V> + ?Sized> MembershipCheck<V> for &M {
    type Error = M::Error;

    fn is_member(&self, actor: &ActorId, tenant: &Tenant<V>) -> Result<bool, Self::Error> {
        (**self).is_member(actor, tenant)
    }
}

impl<V: TenantIdValue, M: MembershipCheck<V> + ?Sized> MembershipCheck<V> for std::sync::Arc<M> {
    type Error = M::Error;

    fn is_member(&self, actor: &ActorId, tenant: &Tenant<V>) -> Result<bool, Self::Error> {
        (**self).is_member(actor, tenant)
    }
}

/// A tenant the request names and the directory knows, before any access check.
///
/// It opens nothing: it has no `cache_key`, no connection, nothing tenant-scoped. The
/// only way on is [`authorize`](Self::authorize), which asks the membership check.
/// That is also why building one by hand ([`ResolvedTenant::new`]) is allowed.
///
/// ```compile_fail
/// // A resolved tenant is not a context: it has no keys, no connection.
/// fn leak(resolved: tenant_core::ResolvedTenant) {
///     let _ = resolved.cache_key("dashboard_summary");
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedTenant<V = i64> {
    tenant: Tenant<V>,
}

impl<V: TenantIdValue> ResolvedTenant<V> {
    /// Wraps a tenant found in a directory.
    pub fn new(tenant: Tenant<V>) -> Self {
        Self { tenant }
    }

    /// The tenant.
    pub fn tenant(&self) -> &Tenant<V> {
        &self.tenant
    }

    /// The tenant's id.
    pub fn id(&self) -> TenantId<V> {
        self.tenant.id
    }

    /// The tenant's slug.
    pub fn slug(&self) -> &TenantSlug {
        &self.tenant.slug
    }

    /// Mints a [`TenantCtx`] for `user` if `membership` says the user is a member.
    ///
    /// A failing check denies access: there is no way to a context but a `true`.
    ///
    /// ```
    /// # use std::convert::Infallible;
    /// use tenant_core::{ActorId, MembershipCheck, ResolvedTenant, Tenant, TenantId, TenantSlug};
    ///
    /// struct OnlyAlice;
    /// impl MembershipCheck for OnlyAlice {
    ///     type Error = Infallible;
    ///     fn is_member(&self, actor: &ActorId, _: &Tenant) -> Result<bool, Infallible> {
    ///         Ok(actor.as_str() == "alice")
    ///     }
    /// }
    ///
    /// let resolved = ResolvedTenant::new(Tenant {
    ///     id: TenantId::new(1),
    ///     slug: TenantSlug::parse("acme").unwrap(),
    ///     name: "Acme".into(),
    ///     plan: "pro".into(),
    /// });
    /// let ctx = resolved.authorize(&ActorId::new("alice"), &OnlyAlice).unwrap();
    /// assert_eq!(ctx.tenant_id(), TenantId::new(1));
    /// assert!(resolved.authorize(&ActorId::new("mallory"), &OnlyAlice).is_err());
    /// ```
    pub fn authorize<U, M>(&self, user: &U, membership: &M) -> Result<TenantCtx<V>, AccessDenied>
    where
        U: Actor + ?Sized,
        M: MembershipCheck<V> + ?Sized,
    {
        authorize(&self.tenant, user.actor_id(), membership)
    }

    /// [`authorize`](ResolvedTenant::authorize) with a check that runs
    /// asynchronously ([`AsyncMembershipCheck`]), for a membership table read
    /// over an async connection: the same verdict, the same errors.
    ///
    /// The user is read before anything is awaited, so the future does not hold
    /// it (a user type need not be `Sync`).
    pub fn authorize_async<'a, U, M>(
        &'a self,
        user: &U,
        membership: &'a M,
    ) -> impl std::future::Future<Output = Result<TenantCtx<V>, AccessDenied>> + Send + 'a
    where
        U: Actor + ?Sized,
        M: AsyncMembershipCheck<V> + Sync + ?Sized,
    {
        let actor = user.actor_id();
        async move {
            let answer = membership.is_member(&actor, &self.tenant).await;
            verdict(&self.tenant, actor, answer)
        }
    }
}

/// The async twin of [`MembershipCheck`]: whether `actor` is a member of `tenant`,
/// read over an async connection (diesel-async), so that a request's worker never
/// blocks on it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot check tenant membership asynchronously",
    label = "not an async membership check",
    note = "implement `tenant_diesel::AsyncMembershipCheck` for it, usually over your `Membership` table: `fn is_member(&self, actor: &ActorId, tenant: &Tenant) -> impl Future<Output = Result<bool, Self::Error>> + Send`"
)]
pub trait AsyncMembershipCheck<V: TenantIdValue = i64> {
    /// Why the check could not be made; access is denied when it happens.
    type Error: Error + Send + Sync + 'static;

    /// Whether `actor` is (still) a member of `tenant`.
    fn is_member(
        &self,
        actor: &ActorId,
        tenant: &Tenant<V>,
    ) -> impl std::future::Future<Output = Result<bool, Self::Error>> + Send;
}

/// Every [`MembershipCheck`] is an [`AsyncMembershipCheck`]: it answers at once.
impl<V: TenantIdValue, M: MembershipCheck<V> + Sync + ?Sized> AsyncMembershipCheck<V> for M {
    type Error = M::Error;

    async fn is_member(&self, actor: &ActorId, tenant: &Tenant<V>) -> Result<bool, M::Error> {
        MembershipCheck::is_member(self, actor, tenant)
    }
}

pub(crate) fn authorize<V: TenantIdValue, M: MembershipCheck<V> + ?Sized>(
    tenant: &Tenant<V>,
    actor: ActorId,
    membership: &M,
) -> Result<TenantCtx<V>, AccessDenied> {
    let answer = membership.is_member(&actor, tenant);
    verdict(tenant, actor, answer)
}

/// A context for a `true`, and nothing else: `false` is not a member, an error a
/// failed check.
fn verdict<V: TenantIdValue, E: Error + Send + Sync + 'static>(
    tenant: &Tenant<V>,
    actor: ActorId,
    answer: Result<bool, E>,
) -> Result<TenantCtx<V>, AccessDenied> {
    match answer {
        Ok(true) => Ok(TenantCtx::verified(tenant, actor)),
        Ok(false) => Err(AccessDenied::NotAMember {
            tenant: tenant.slug.clone(),
            actor,
        }),
        Err(source) => Err(AccessDenied::CheckFailed {
            tenant: tenant.slug.clone(),
            source: Box::new(source),
        }),
    }
}

/// Why no [`TenantCtx`] was minted for a user.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AccessDenied {
    /// The user is not a member of the tenant.
    #[error("`{actor}` is not a member of tenant `{tenant}`")]
    NotAMember {
        /// The tenant asked for.
        tenant: TenantSlug,
        /// The user who asked.
        actor: ActorId,
    },
    /// The membership check itself failed; access is denied rather than assumed.
    #[error("the membership check for tenant `{tenant}` failed")]
    CheckFailed {
        /// The tenant asked for.
        tenant: TenantSlug,
        /// What went wrong.
        #[source]
        source: Box<dyn Error + Send + Sync>,
    },
}
