//! The tenant-resolution configuration, one serde struct that loads from TOML.

use serde::{Deserialize, Serialize};

use crate::host::{HostError, HostSource};
use crate::slug::{SlugError, TenantSlug};

/// The default tenant's slug when none is configured.
pub const DEFAULT_TENANT: &str = "public";

/// How tenants are resolved, as an application configures it.
///
/// Every key is optional and defaults as listed; unknown keys are an error, so a
/// misspelt `requried = false` is caught instead of silently keeping the default.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `resolvers` | `["subdomain"]` | the chain, tried in order, first match wins: any of `"subdomain"`, `"path"`, `"header"`, `"session"` |
/// | `domain` | none (required by `"subdomain"`) | tenants are `<slug>.<domain>` |
/// | `exclude_subdomains` | `["www", "api", "admin"]` | labels that are never tenants |
/// | `host_source` | `"host"` | where the host is read: `"host"`, or behind a trusted proxy only `"x-forwarded-host"` or `"forwarded"` (rightmost entry wins, see [`HostSource`]) |
/// | `path_position` | `0` | which path segment names the tenant for `"path"` (`/acme/...` is 0) |
/// | `exclude_paths` | `["admin", "api", "static", "media"]` | segments that are never tenants |
/// | `header` | `"X-Tenant-ID"` | the header read by `"header"`; behind a trusted proxy only, and read only when `"header"` is listed in `resolvers` |
/// | `session_key` | `"tenant"` | the session key read by `"session"` |
/// | `default_tenant` | `"public"` | the slug reported as [`Resolution::Default`](crate::resolve::Resolution::Default) when no tenant is named and `required` is `false` |
/// | `required` | `true` | fail closed: a request that names no tenant is refused (404) instead of resolving to the default |
///
/// ```
/// use tenant_core::TenantConfig;
///
/// let config = TenantConfig::from_toml(r#"
///     resolvers = ["subdomain", "path"]
///     domain = "example.com"
///     default_tenant = "public"
///     required = false
/// "#).unwrap();
/// assert_eq!(config.exclude_subdomains, ["www", "api", "admin"]);
/// assert!(!config.required);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TenantConfig {
    /// The resolver chain, in order. Default `["subdomain"]`.
    pub resolvers: Vec<ResolverKind>,
    /// The domain whose subdomains are tenants. No default; `"subdomain"` needs it.
    pub domain: Option<String>,
    /// Subdomain labels that are never tenants. Default `["www", "api", "admin"]`.
    pub exclude_subdomains: Vec<String>,
    /// Where the host is read. Default `"host"`; the forwarded ones behind a trusted proxy only.
    pub host_source: HostSource,
    /// The path segment that names the tenant. Default `0`.
    pub path_position: usize,
    /// Path segments that are never tenants. Default `["admin", "api", "static", "media"]`.
    pub exclude_paths: Vec<String>,
    /// The tenant header. Default `"X-Tenant-ID"`; behind a trusted proxy only.
    pub header: String,
    /// The session key holding the tenant slug. Default `"tenant"`.
    pub session_key: String,
    /// The default tenant's slug. Default `"public"`.
    pub default_tenant: String,
    /// Refuse requests that name no tenant. Default `true` (fail closed).
    pub required: bool,
}

/// One resolver of the configured chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResolverKind {
    /// [`Subdomain`](crate::resolve::Subdomain): `acme.example.com`.
    Subdomain,
    /// [`Path`](crate::resolve::Path): `/acme/...`.
    Path,
    /// [`Header`](crate::resolve::Header): `X-Tenant-ID: acme`, behind a trusted proxy only.
    Header,
    /// [`Session`](crate::resolve::Session): the slug stored in the session.
    Session,
}

/// Why a configuration cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The TOML does not parse or does not match [`TenantConfig`].
    #[error("invalid tenant configuration: {0}")]
    Toml(#[from] toml::de::Error),
    /// The `subdomain` resolver is listed but `domain` is not set.
    #[error("the `subdomain` resolver needs `domain`")]
    MissingDomain,
    /// `domain` is not a valid host name.
    #[error("`domain` is not a valid host name: {0}")]
    InvalidDomain(#[source] HostError),
    /// `domain` has a port or is an IP address.
    #[error("`domain` must be a host name without a port, not an IP address")]
    DomainNotAName,
    /// `header` is not a valid header name.
    #[error("`header` is not a valid header name")]
    InvalidHeader,
    /// `default_tenant` is not a slug.
    #[error("`default_tenant` is not a valid slug: {0}")]
    InvalidDefaultTenant(#[source] SlugError),
    /// `resolvers` is empty, so no request could ever name a tenant.
    #[error("`resolvers` is empty")]
    NoResolver,
    /// `session` is listed but the session type was not given.
    #[error("the `session` resolver needs the session type: use `TenantResolver::from_config_with_session::<YourSession>`")]
    SessionTypeNeeded,
}

impl TenantConfig {
    /// Parses a TOML document holding these keys at its top level.
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        Ok(toml::from_str(text)?)
    }

    /// The default tenant's slug, validated.
    pub fn default_tenant_slug(&self) -> Result<TenantSlug, ConfigError> {
        TenantSlug::parse(&self.default_tenant).map_err(ConfigError::InvalidDefaultTenant)
    }
}
