use crate::actor::ActorId;
use crate::directory::Tenant;
use crate::id::{TenantId, TenantIdValue};
use crate::key::{KeyKind, TenantKey};
use crate::slug::TenantSlug;

/// Proof that the current unit of work acts for one tenant.
///
/// Every tenant-scoped query, cache key and store operation is derived from a
/// `TenantCtx`. It has private fields, no `Default`, no `Deserialize` and no public
/// constructor (its `Deserialize` and `new` are refusals whose bound nothing
/// meets, there only to explain themselves when they fail), so application
/// code cannot forge one for a tenant it was never granted. It holds no ambient
/// state: pass it down explicitly, and async tasks or thread pools cannot mix
/// tenants.
///
/// ```compile_fail
/// // A context cannot be built by hand.
/// let ctx = tenant_core::TenantCtx { tenant: tenant_core::TenantId::new(2), .. };
/// ```
///
/// ```compile_fail
/// // Nor defaulted.
/// let ctx = tenant_core::TenantCtx::default();
/// ```
///
/// ```compile_fail
/// // Nor deserialised: a background job carries a `SealedClaim` and re-validates it.
/// fn needs_deserialize<T: serde::de::DeserializeOwned>() {}
/// needs_deserialize::<tenant_core::TenantCtx>();
/// ```
///
/// A context comes out of [`ResolvedTenant::authorize`](crate::ResolvedTenant::authorize)
/// or [`SealedClaim::revalidate`](crate::SealedClaim::revalidate), both of which ask
/// the application's membership check first.
///
/// `V` is the type of the tenant's id (`i64` unless the directory says
/// otherwise); a context opens only the tables whose tenant column holds that
/// type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantCtx<V = i64> {
    tenant: TenantId<V>,
    slug: TenantSlug,
    actor: ActorId,
}

impl<V> TenantCtx<V> {
    /// Not available: an id alone opens nothing. A context comes out of the
    /// membership check, [`ResolvedTenant::authorize`](crate::ResolvedTenant::authorize)
    /// (or [`SealedClaim::revalidate`](crate::SealedClaim::revalidate) in a background job); this method is only
    /// there so that `TenantCtx::new(id)` says so when it fails to compile.
    ///
    /// ```compile_fail
    /// let ctx = tenant_core::TenantCtx::<i64>::new(tenant_core::TenantId::new(2));
    /// ```
    pub fn new<T>(tenant: T) -> Self
    where
        T: NoTenantCtxFromAnId,
    {
        let _ = tenant;
        unreachable!("`NoTenantCtxFromAnId` is implemented by nothing")
    }
}

impl<V: TenantIdValue> TenantCtx<V> {
    /// The only constructor: callers have just seen the membership check pass for
    /// `actor` on `tenant`.
    pub(crate) fn verified(tenant: &Tenant<V>, actor: ActorId) -> Self {
        Self {
            tenant: tenant.id,
            slug: tenant.slug.clone(),
            actor,
        }
    }

    /// The slug of the tenant this context acts for.
    pub fn slug(&self) -> &TenantSlug {
        &self.slug
    }

    /// The user this context acts on behalf of, for audit.
    pub fn actor(&self) -> &ActorId {
        &self.actor
    }

    /// The tenant this context acts for.
    pub fn tenant_id(&self) -> TenantId<V> {
        self.tenant
    }

    /// A cache key that belongs to this tenant only.
    ///
    /// ```
    /// # struct Members;
    /// # impl tenant_core::MembershipCheck for Members {
    /// #     type Error = std::convert::Infallible;
    /// #     fn is_member(&self, actor: &tenant_core::ActorId, _: &tenant_core::Tenant) -> Result<bool, Self::Error> {
    /// #         Ok(actor.as_str() == "alice")
    /// #     }
    /// # }
    /// # let context = |id: i64, slug: &str| {
    /// #     let tenant = tenant_core::Tenant { id: tenant_core::TenantId::new(id),
    /// #         slug: tenant_core::TenantSlug::parse(slug).unwrap(), name: slug.into(), plan: "free".into() };
    /// #     tenant_core::ResolvedTenant::new(tenant).authorize(&tenant_core::ActorId::new("alice"), &Members).unwrap()
    /// # };
    /// # let ctx = context(1, "acme");
    /// let key = ctx.cache_key("dashboard_summary");
    /// assert_eq!(key.tenant_id(), ctx.tenant_id());
    /// ```
    pub fn cache_key(&self, name: &str) -> TenantKey {
        TenantKey::new(self.tenant.erase(), KeyKind::Cache, &[name])
    }

    /// The key of one field of a session's state, for this tenant only: the same
    /// session id under another tenant is another key.
    ///
    /// ```
    /// # struct Members;
    /// # impl tenant_core::MembershipCheck for Members {
    /// #     type Error = std::convert::Infallible;
    /// #     fn is_member(&self, actor: &tenant_core::ActorId, _: &tenant_core::Tenant) -> Result<bool, Self::Error> {
    /// #         Ok(actor.as_str() == "alice")
    /// #     }
    /// # }
    /// # let context = |id: i64, slug: &str| {
    /// #     let tenant = tenant_core::Tenant { id: tenant_core::TenantId::new(id),
    /// #         slug: tenant_core::TenantSlug::parse(slug).unwrap(), name: slug.into(), plan: "free".into() };
    /// #     tenant_core::ResolvedTenant::new(tenant).authorize(&tenant_core::ActorId::new("alice"), &Members).unwrap()
    /// # };
    /// # let acme = context(1, "acme");
    /// # let contoso = context(2, "contoso");
    /// assert_ne!(acme.state_key("s-42", "cart"), contoso.state_key("s-42", "cart"));
    /// ```
    pub fn state_key(&self, session_id: &str, field: &str) -> TenantKey {
        TenantKey::new(self.tenant.erase(), KeyKind::State, &[session_id, field])
    }

    /// The key of a presence topic's member set (who is looking at `doc/42`), for
    /// this tenant only.
    ///
    /// ```
    /// # struct Members;
    /// # impl tenant_core::MembershipCheck for Members {
    /// #     type Error = std::convert::Infallible;
    /// #     fn is_member(&self, actor: &tenant_core::ActorId, _: &tenant_core::Tenant) -> Result<bool, Self::Error> {
    /// #         Ok(actor.as_str() == "alice")
    /// #     }
    /// # }
    /// # let context = |id: i64, slug: &str| {
    /// #     let tenant = tenant_core::Tenant { id: tenant_core::TenantId::new(id),
    /// #         slug: tenant_core::TenantSlug::parse(slug).unwrap(), name: slug.into(), plan: "free".into() };
    /// #     tenant_core::ResolvedTenant::new(tenant).authorize(&tenant_core::ActorId::new("alice"), &Members).unwrap()
    /// # };
    /// # let ctx = context(1, "acme");
    /// assert_eq!(ctx.presence_key("doc/42").as_str(), "tenant/1/presence/6:doc/42/");
    /// ```
    pub fn presence_key(&self, topic: &str) -> TenantKey {
        TenantKey::new(self.tenant.erase(), KeyKind::Presence, &[topic])
    }
}

/// Implemented by [`TenantCtx`] alone: what tenant-scoped queries and connections
/// accept as proof of the tenant.
///
/// A bound rather than a plain `&TenantCtx` so that passing a [`ResolvedTenant`]
/// or a [`SealedClaim`] explains what is missing.
///
/// [`ResolvedTenant`]: crate::ResolvedTenant
/// [`SealedClaim`]: crate::SealedClaim
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a tenant context, so it opens nothing",
    label = "expected a `TenantCtx`",
    note = "a `ResolvedTenant` becomes a context only through the membership check: `resolved.authorize(&user, &membership)?`",
    note = "a background job's `SealedClaim` is re-validated first: `claim.revalidate(&key, &directory, &membership)?`"
)]
pub trait AsTenantCtx: sealed::Sealed {
    /// The type of the tenant's id: the `V` of `TenantCtx<V>`.
    type Id: TenantIdValue;

    /// The context itself.
    fn as_tenant_ctx(&self) -> &TenantCtx<Self::Id>;
}

impl<V: TenantIdValue> AsTenantCtx for TenantCtx<V> {
    type Id = V;

    fn as_tenant_ctx(&self) -> &TenantCtx<V> {
        self
    }
}

mod sealed {
    pub trait Sealed {}
    impl<V> Sealed for super::TenantCtx<V> {}
}

// A refusal: `Deserialize` under a bound that nothing meets, so that
// `toml::from_str::<TenantCtx>(..)` says why and what to do instead of "the trait
// bound `TenantCtx: Deserialize<'de>` is not satisfied" over serde's list of
// types. It never holds: a context is still never deserialised. The bound is on
// `PhantomData<V>`, not `V`, so that it fails even while `V` is not known yet.

/// Implemented by nothing: the bound that makes [`TenantCtx::new`] a compile
/// error that explains itself.
#[diagnostic::on_unimplemented(
    message = "a `TenantCtx` is not built from `{Self}`: an id alone opens nothing",
    label = "a context is minted by the membership check, not from an id",
    note = "resolve the tenant and check the membership: `ResolvedTenant::new(tenant).authorize(&actor, &membership)?` (the axum extractor does it for each request), or `claim.revalidate(&key, &directory, &membership)?` in a background job"
)]
pub trait NoTenantCtxFromAnId: never::Implemented {}

/// Implemented by nothing: a tenant context is never deserialised.
#[diagnostic::on_unimplemented(
    message = "a `TenantCtx` is never deserialised: a payload could name any tenant",
    label = "not `Deserialize`",
    note = "a background job carries a `SealedClaim`, which serialises, and re-validates it into a context: `claim.revalidate(&key, &directory, &membership)?`"
)]
pub trait NoDeserializedTenantCtx: never::Implemented {}

mod never {
    /// Implemented by nothing.
    pub trait Implemented {}
}

impl<'de, V> serde::Deserialize<'de> for TenantCtx<V>
where
    std::marker::PhantomData<V>: NoDeserializedTenantCtx,
{
    fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(serde::de::Error::custom(
            "a `TenantCtx` is never deserialised",
        ))
    }
}
