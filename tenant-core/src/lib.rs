//! Tenant identities, tenant contexts, tenant resolution and tenant-keyed stores.
//!
//! This crate knows nothing of Diesel. It owns the one value every tenant-scoped
//! operation needs: a [`TenantCtx`], which cannot be built, defaulted or deserialised
//! by application code. Everything that touches tenant data (a query, a cache entry)
//! is derived from a context, so forgetting the tenant is a type error rather than a
//! silent leak.
//!
//! A context is minted in two steps, and only here:
//!
//! ```text
//! request --resolver--> ResolvedTenant --membership check--> TenantCtx
//! job claim ------------------re-validation---------------> TenantCtx
//! ```
//!
//! [`resolve`] finds the tenant a request names (subdomain, path, header, session, a
//! chain of them or a custom resolver) and looks it up in a [`TenantDirectory`]; the
//! [`ResolvedTenant`] it yields opens nothing until
//! [`authorize`](ResolvedTenant::authorize) asks the application's
//! [`MembershipCheck`]. Background jobs carry a [`SealedClaim`], sealed with the
//! application's [`ClaimKey`], and re-validate it.
//! With the `axum` feature, the `axum` module does all of this in an extractor.
//!
//! Shared state is keyed by the context too: [`TenantCtx::cache_key`],
//! [`TenantCtx::state_key`] and [`TenantCtx::presence_key`] build [`TenantKey`]s,
//! the only keys a [`store::KeyValueStore`], a [`TenantCache`] or [`Presence`]
//! accept. The [`audit`] module records who did what for which tenant.
//!
//! Applications depend on `tenant-diesel`, which re-exports this crate.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod actor;
pub mod audit;
#[cfg(feature = "axum")]
pub mod axum;
#[cfg(feature = "cache")]
mod cache;
mod claim;
mod client;
#[cfg(feature = "http")]
pub mod config;
mod ctx;
mod directory;
#[cfg(feature = "http")]
pub mod host;
mod id;
mod key;
mod membership;
mod presence;
#[cfg(feature = "http")]
pub mod resolve;
mod slug;
pub mod store;

pub use actor::{Actor, ActorId};
#[cfg(feature = "cache")]
pub use cache::TenantCache;
pub use claim::{ClaimError, ClaimKey, ClaimKeyError, SealedClaim};
pub use client::client_key;
#[cfg(feature = "http")]
pub use config::{ConfigError, ResolverKind, TenantConfig};
pub use ctx::{AsTenantCtx, TenantCtx};
pub use directory::{AsyncTenantDirectory, InMemoryDirectory, Tenant, TenantDirectory};
#[cfg(feature = "http")]
pub use host::{Host, HostError, HostSource};
pub use id::{AnyTenantId, TenantId, TenantIdValue, WidensTo};
pub use key::{AsTenantKey, KeyKind, TenantKey};
pub use membership::{AccessDenied, AsyncMembershipCheck, MembershipCheck, ResolvedTenant};
pub use presence::Presence;
pub use slug::{SlugError, TenantSlug, MAX_SLUG_LEN};

// Mints a context for any tenant, so it is only compiled for this workspace's
// doctests and tests, which enable the feature from their dev-dependencies.
#[cfg(feature = "__doc-support")]
#[doc(hidden)]
pub mod doc_support {
    //! What the documentation's examples start from: a context minted through a
    //! membership check that says yes. Behind the `__doc-support` feature, which
    //! only this workspace's dev-dependencies enable; never in an application.
    use std::convert::Infallible;

    use crate::actor::ActorId;
    use crate::ctx::TenantCtx;
    use crate::directory::Tenant;
    use crate::id::TenantId;
    use crate::membership::{MembershipCheck, ResolvedTenant};
    use crate::slug::TenantSlug;

    /// The examples' membership check: everyone is a member.
    #[derive(Debug)]
    pub struct EveryoneIsAMember;

    impl MembershipCheck for EveryoneIsAMember {
        type Error = Infallible;

        fn is_member(&self, _: &ActorId, _: &Tenant) -> Result<bool, Infallible> {
            Ok(true)
        }
    }

    /// A context for the tenant `slug` (id 1 for `acme`, 2 for anything else).
    pub fn context(slug: &str) -> TenantCtx {
        let tenant = Tenant {
            id: TenantId::new(if slug == "acme" { 1 } else { 2 }),
            slug: TenantSlug::parse(slug).expect("a valid slug"),
            name: slug.to_owned(),
            plan: "free".to_owned(),
        };
        ResolvedTenant::new(tenant)
            .authorize(&ActorId::new("doc-example"), &EveryoneIsAMember)
            .expect("everyone is a member")
    }
}
