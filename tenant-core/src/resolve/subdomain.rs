use http::request::Parts;

use super::{Resolve, ResolveError};
use crate::config::ConfigError;
use crate::host::{request_host, Host, HostSource};
use crate::slug::TenantSlug;

/// The tenant is the one label in front of the domain: `acme` in `acme.example.com`.
///
/// The host is read strictly (see [`Host::parse`]) and then must be exactly
/// `<label>.<domain>`:
///
/// | host | answer |
/// |---|---|
/// | `acme.example.com`, `ACME.example.com.`, `acme.example.com:8443` | `acme` |
/// | `example.com` (the apex), `a.acme.example.com` (nested), `www.example.com` (excluded) | no tenant (`Ok(None)`) |
/// | `acme.example.com.evil.com`, `evilexample.com`, `127.0.0.1`, `[::1]` | [`ResolveError::ForeignHost`] |
/// | `example.com@evil.tld`, `acme..example.com`, `acme.example.com:99999`, ... | [`ResolveError::MalformedHost`] |
///
/// ```
/// use tenant_core::resolve::{Resolve, Subdomain};
///
/// let subdomain = Subdomain::new("example.com").unwrap();
/// let (parts, ()) = http::Request::builder()
///     .header("host", "acme.example.com")
///     .body(())
///     .unwrap()
///     .into_parts();
/// assert_eq!(subdomain.resolve(&parts).unwrap().unwrap().as_str(), "acme");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subdomain {
    domain: String,
    exclude_subdomains: Vec<String>,
    host_source: HostSource,
}

impl Subdomain {
    /// Labels that are never tenants unless [`exclude_subdomains`](Self::exclude_subdomains)
    /// says otherwise.
    pub const DEFAULT_EXCLUDE_SUBDOMAINS: [&'static str; 3] = ["www", "api", "admin"];

    /// Tenants are the subdomains of `domain` (a host name: no port, not an IP).
    pub fn new(domain: &str) -> Result<Self, ConfigError> {
        let host = Host::parse(domain).map_err(ConfigError::InvalidDomain)?;
        if host.port().is_some() || host.is_ip() {
            return Err(ConfigError::DomainNotAName);
        }
        Ok(Self {
            domain: host.name().to_owned(),
            exclude_subdomains: Self::DEFAULT_EXCLUDE_SUBDOMAINS
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            host_source: HostSource::Host,
        })
    }

    /// Replaces the excluded labels (compared case-insensitively).
    pub fn exclude_subdomains<I, S>(mut self, labels: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        // Hosts are lowercased before comparison, so the list must be too, or an
        // `Admin` entry would never match and `admin` would become a tenant.
        self.exclude_subdomains = labels
            .into_iter()
            .map(|s| s.as_ref().to_ascii_lowercase())
            .collect();
        self
    }

    /// Reads the host from a trusted forwarded header instead of `Host`; see
    /// [`HostSource`] for when that is safe and how a list is read.
    pub fn host_source(mut self, source: HostSource) -> Self {
        self.host_source = source;
        self
    }

    /// The normalised domain.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The tenant named by an already-validated host.
    pub fn resolve_host(&self, host: &Host) -> Result<Option<TenantSlug>, ResolveError> {
        if host.is_ip() {
            return Err(ResolveError::ForeignHost);
        }
        let name = host.name();
        if name == self.domain {
            return Ok(None);
        }
        // Suffix and dot together: `evilexample.com` ends with `example.com` but not
        // with `.example.com`.
        let label = name
            .strip_suffix(self.domain.as_str())
            .and_then(|rest| rest.strip_suffix('.'))
            .ok_or(ResolveError::ForeignHost)?;
        if label.contains('.') || self.exclude_subdomains.iter().any(|e| e == label) {
            return Ok(None);
        }
        // A validated host label is `[a-z0-9-]`, a subset of the slug charset; should
        // that ever change, refusing is the safe answer.
        TenantSlug::parse(label)
            .map(Some)
            .map_err(|_| ResolveError::ForeignHost)
    }
}

impl Resolve for Subdomain {
    fn resolve(&self, parts: &Parts) -> Result<Option<TenantSlug>, ResolveError> {
        self.resolve_host(&request_host(parts, self.host_source)?)
    }
}
