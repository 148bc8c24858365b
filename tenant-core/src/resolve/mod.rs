//! Which tenant does a request name? Resolvers over `http::request::Parts`.
//!
//! A resolver answers with a [`TenantSlug`], with `Ok(None)` ("this request names no
//! tenant here") or with an error ("this request is malformed"). The built-in ones are
//! [`Subdomain`], [`Path`], [`Header`] and [`Session`]; [`Chain`] tries several in
//! order; anything else implements [`Resolve`]. A [`TenantResolver`] runs a chain,
//! applies `required` and `default_tenant`, and looks the slug up in a
//! [`TenantDirectory`], yielding a [`Resolution`].
//!
//! Nothing here mints a [`TenantCtx`](crate::TenantCtx): a
//! [`ResolvedTenant`] still has to pass the membership check.

mod chain;
mod from_config;
mod header;
mod path;
mod session;
mod subdomain;

use std::error::Error;
use std::sync::Arc;

use http::header::HeaderName;
use http::request::Parts;

pub use chain::Chain;
pub use header::Header;
pub use path::Path;
pub use session::{Session, TenantSession};
pub use subdomain::Subdomain;

use crate::config::{ConfigError, TenantConfig};
use crate::directory::{AsyncTenantDirectory, Tenant, TenantDirectory};
use crate::host::HostError;
use crate::id::TenantIdValue;
use crate::membership::ResolvedTenant;
use crate::slug::TenantSlug;

/// Finds the tenant slug a request names: implemented by every resolver, and by the
/// application for a custom one.
///
/// Return `Ok(None)` when the request names no tenant this way (a [`Chain`] then tries
/// the next resolver) and an error when the request is malformed (the chain stops: a
/// bad request never falls through to a resolver that might accept it).
///
/// ```
/// use http::request::Parts;
/// use tenant_core::TenantSlug;
/// use tenant_core::resolve::{Resolve, ResolveError};
///
/// /// Tenant from a query parameter `?tenant=acme` (for a demo, not production).
/// struct Query;
///
/// impl Resolve for Query {
///     fn resolve(&self, parts: &Parts) -> Result<Option<TenantSlug>, ResolveError> {
///         let query = parts.uri.query().unwrap_or("");
///         Ok(query
///             .split('&')
///             .find_map(|kv| kv.strip_prefix("tenant="))
///             .and_then(|v| TenantSlug::parse(v).ok()))
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a tenant resolver",
    label = "cannot resolve a tenant with this",
    note = "implement `tenant_diesel::resolve::Resolve` for it: `fn resolve(&self, parts: &http::request::Parts) -> Result<Option<TenantSlug>, ResolveError>`, returning `Ok(None)` when the request names no tenant"
)]
pub trait Resolve: Send + Sync {
    /// The slug this request names, `Ok(None)` if none, or why the request is malformed.
    fn resolve(&self, parts: &Parts) -> Result<Option<TenantSlug>, ResolveError>;
}

impl<R: Resolve + ?Sized> Resolve for &R {
    fn resolve(&self, parts: &Parts) -> Result<Option<TenantSlug>, ResolveError> {
        (**self).resolve(parts)
    }
}

impl<R: Resolve + ?Sized> Resolve for Box<R> {
    fn resolve(&self, parts: &Parts) -> Result<Option<TenantSlug>, ResolveError> {
        (**self).resolve(parts)
    }
}

impl<R: Resolve + ?Sized> Resolve for Arc<R> {
    fn resolve(&self, parts: &Parts) -> Result<Option<TenantSlug>, ResolveError> {
        (**self).resolve(parts)
    }
}

/// Why a request did not resolve to a tenant. Every variant fails closed: none of
/// them falls back to the default tenant or to another tenant.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveError {
    /// The host is missing, duplicated or malformed (HTTP 400).
    #[error("malformed host: {0}")]
    MalformedHost(#[from] HostError),
    /// The host is well-formed but is not the configured domain or one of its
    /// subdomains (suffix confusion, an IP literal, another site) (HTTP 400).
    #[error("the host is not served here")]
    ForeignHost,
    /// The tenant header is duplicated or does not hold a slug (HTTP 400).
    #[error("malformed `{0}` header")]
    MalformedHeader(HeaderName),
    /// The session holds a value that is not a slug (HTTP 400).
    #[error("the session holds a malformed tenant slug")]
    MalformedSession,
    /// A custom resolver refused the request (HTTP 400).
    #[error("the tenant resolver refused the request")]
    Custom(#[source] Box<dyn Error + Send + Sync>),
    /// The request names no tenant and a tenant is required (HTTP 404).
    #[error("the request names no tenant")]
    NoTenant,
    /// The request names a tenant the directory does not know (HTTP 404).
    #[error("there is no tenant `{0}`")]
    UnknownTenant(TenantSlug),
    /// The directory lookup failed (HTTP 500).
    #[error("the tenant directory failed")]
    Directory(#[source] Box<dyn Error + Send + Sync>),
}

impl ResolveError {
    /// Whether the request itself is malformed (as opposed to naming no or an unknown
    /// tenant, or a failing directory).
    pub fn is_malformed(&self) -> bool {
        matches!(
            self,
            Self::MalformedHost(_)
                | Self::ForeignHost
                | Self::MalformedHeader(_)
                | Self::MalformedSession
                | Self::Custom(_)
        )
    }
}

/// What a request resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Resolution<V = i64> {
    /// The request names a tenant the directory knows. It opens nothing until
    /// [`ResolvedTenant::authorize`] passes.
    Tenant(ResolvedTenant<V>),
    /// The request names no tenant, `required` is off, and the application decides
    /// what that means (typically: a redirect to `www`). It is never silently
    /// another tenant.
    Default(DefaultTenant),
}

/// The outcome "no tenant named, serve the default": carries only the default's slug.
///
/// It is deliberately not a [`ResolvedTenant`]; to act for the default tenant the
/// application looks it up explicitly with [`lookup`](Self::lookup).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultTenant {
    slug: TenantSlug,
}

impl DefaultTenant {
    /// The configured default tenant's slug (`public` unless configured).
    pub fn slug(&self) -> &TenantSlug {
        &self.slug
    }

    /// Looks the default tenant up, for an application that does serve it.
    pub fn lookup<V: TenantIdValue, D: TenantDirectory<V> + ?Sized>(
        &self,
        directory: &D,
    ) -> Result<ResolvedTenant<V>, ResolveError> {
        lookup(directory, &self.slug)
    }
}

fn lookup<V: TenantIdValue, D: TenantDirectory<V> + ?Sized>(
    directory: &D,
    slug: &TenantSlug,
) -> Result<ResolvedTenant<V>, ResolveError> {
    found(slug, directory.find_by_slug(slug))
}

/// A directory's answer for `slug`: the tenant, or why there is none.
fn found<V: TenantIdValue, E: Error + Send + Sync + 'static>(
    slug: &TenantSlug,
    answer: Result<Option<Tenant<V>>, E>,
) -> Result<ResolvedTenant<V>, ResolveError> {
    answer
        .map_err(|e| ResolveError::Directory(Box::new(e)))?
        .map(ResolvedTenant::new)
        .ok_or_else(|| ResolveError::UnknownTenant(slug.clone()))
}

/// The whole resolution step: a chain of resolvers plus the `required` and
/// `default_tenant` policy.
///
/// ```
/// use tenant_core::{InMemoryDirectory, Tenant, TenantConfig, TenantId, TenantSlug};
/// use tenant_core::resolve::{Resolution, TenantResolver};
///
/// let config = TenantConfig::from_toml(r#"domain = "example.com""#).unwrap();
/// let resolver = TenantResolver::from_config(&config).unwrap();
/// let directory = InMemoryDirectory::new([Tenant {
///     id: TenantId::new(1),
///     slug: TenantSlug::parse("acme").unwrap(),
///     name: "Acme".into(),
///     plan: "pro".into(),
/// }]);
///
/// let (parts, ()) = http::Request::builder()
///     .header("host", "ACME.example.com:443")
///     .body(())
///     .unwrap()
///     .into_parts();
/// match resolver.resolve(&parts, &directory).unwrap() {
///     Resolution::Tenant(resolved) => assert_eq!(resolved.slug().as_str(), "acme"),
///     other => panic!("{other:?}"),
/// }
/// ```
#[derive(Debug)]
pub struct TenantResolver {
    chain: Chain,
    required: bool,
    default_tenant: TenantSlug,
}

impl TenantResolver {
    /// Runs `chain`; fails closed (`required`) when it names no tenant.
    pub fn new(chain: Chain) -> Self {
        Self {
            chain,
            required: true,
            default_tenant: TenantSlug::parse(crate::config::DEFAULT_TENANT)
                .expect("the built-in default tenant is a valid slug"),
        }
    }

    /// Whether a request that names no tenant is refused (`true`, the default) or
    /// resolves to [`Resolution::Default`].
    pub fn required(mut self, required: bool) -> Self {
        self.required = required;
        self
    }

    /// The slug reported by [`Resolution::Default`] (`public` by default).
    pub fn default_tenant(mut self, slug: TenantSlug) -> Self {
        self.default_tenant = slug;
        self
    }

    /// The resolver described by `config`. A config listing the `session` resolver
    /// needs [`from_config_with_session`](Self::from_config_with_session).
    pub fn from_config(config: &TenantConfig) -> Result<Self, ConfigError> {
        Self::new(config.chain()?).with_policy(config)
    }

    /// The resolver described by `config`, reading the session through `S`.
    pub fn from_config_with_session<S: TenantSession>(
        config: &TenantConfig,
    ) -> Result<Self, ConfigError> {
        Self::new(config.chain_with_session::<S>()?).with_policy(config)
    }

    fn with_policy(self, config: &TenantConfig) -> Result<Self, ConfigError> {
        Ok(self
            .required(config.required)
            .default_tenant(config.default_tenant_slug()?))
    }

    /// The slug the request names, with the policy applied but no directory lookup:
    /// `Ok(Ok(slug))` for a tenant, `Ok(Err(default))` for the default outcome.
    pub fn resolve_slug(
        &self,
        parts: &Parts,
    ) -> Result<Result<TenantSlug, DefaultTenant>, ResolveError> {
        match self.chain.resolve(parts)? {
            Some(slug) => Ok(Ok(slug)),
            None if self.required => Err(ResolveError::NoTenant),
            None => Ok(Err(DefaultTenant {
                slug: self.default_tenant.clone(),
            })),
        }
    }

    /// Resolves the request and looks the tenant up in `directory`.
    ///
    /// An unknown slug is [`ResolveError::UnknownTenant`] whatever `required` says:
    /// a request that names a tenant gets that tenant or nothing.
    pub fn resolve<V: TenantIdValue, D: TenantDirectory<V> + ?Sized>(
        &self,
        parts: &Parts,
        directory: &D,
    ) -> Result<Resolution<V>, ResolveError> {
        match self.resolve_slug(parts)? {
            Ok(slug) => lookup(directory, &slug).map(Resolution::Tenant),
            Err(default) => Ok(Resolution::Default(default)),
        }
    }

    /// [`resolve`](TenantResolver::resolve) with a directory read asynchronously
    /// ([`AsyncTenantDirectory`]): the same outcomes and errors.
    pub async fn resolve_async<V: TenantIdValue, D: AsyncTenantDirectory<V> + ?Sized>(
        &self,
        parts: &Parts,
        directory: &D,
    ) -> Result<Resolution<V>, ResolveError> {
        match self.resolve_slug(parts)? {
            Ok(slug) => {
                let answer = directory.find_by_slug(&slug).await;
                found(&slug, answer).map(Resolution::Tenant)
            }
            Err(default) => Ok(Resolution::Default(default)),
        }
    }
}
