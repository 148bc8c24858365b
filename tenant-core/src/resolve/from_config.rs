//! What a [`TenantConfig`] builds: its defaults, which are the resolvers' own, and
//! its resolver chain.

use http::header::HeaderName;

use super::{Chain, Header, Path, Resolve, Session, Subdomain, TenantSession};
use crate::config::{ConfigError, ResolverKind, TenantConfig, DEFAULT_TENANT};
use crate::host::HostSource;

impl Default for TenantConfig {
    fn default() -> Self {
        Self {
            resolvers: vec![ResolverKind::Subdomain],
            domain: None,
            exclude_subdomains: strings(&Subdomain::DEFAULT_EXCLUDE_SUBDOMAINS),
            host_source: HostSource::Host,
            path_position: 0,
            exclude_paths: strings(&Path::DEFAULT_EXCLUDE),
            header: "X-Tenant-ID".to_owned(),
            session_key: "tenant".to_owned(),
            default_tenant: DEFAULT_TENANT.to_owned(),
            required: true,
        }
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

impl TenantConfig {
    /// The configured chain; fails if it lists `session` (see
    /// [`chain_with_session`](Self::chain_with_session)).
    pub fn chain(&self) -> Result<Chain, ConfigError> {
        self.build_chain(|| Err::<Chain, _>(ConfigError::SessionTypeNeeded))
    }

    /// The configured chain, reading the session as an `S` from the request extensions.
    pub fn chain_with_session<S: TenantSession>(&self) -> Result<Chain, ConfigError> {
        let key = self.session_key.clone();
        self.build_chain(move || Ok(Session::<S>::new(key.clone())))
    }

    fn build_chain<R, F>(&self, session: F) -> Result<Chain, ConfigError>
    where
        R: Resolve + 'static,
        F: Fn() -> Result<R, ConfigError>,
    {
        if self.resolvers.is_empty() {
            return Err(ConfigError::NoResolver);
        }
        // Validated even when unused so that a bad value is reported at start-up, not
        // on the day someone enables `required = false`.
        self.default_tenant_slug()?;
        let mut chain = Chain::new();
        for kind in &self.resolvers {
            chain = match kind {
                ResolverKind::Subdomain => {
                    let domain = self.domain.as_deref().ok_or(ConfigError::MissingDomain)?;
                    chain.then(
                        Subdomain::new(domain)?
                            .exclude_subdomains(&self.exclude_subdomains)
                            .host_source(self.host_source),
                    )
                }
                ResolverKind::Path => {
                    chain.then(Path::new(self.path_position).exclude(self.exclude_paths.clone()))
                }
                ResolverKind::Header => {
                    let name = HeaderName::try_from(self.header.as_str())
                        .map_err(|_| ConfigError::InvalidHeader)?;
                    chain.then(Header::named(name))
                }
                ResolverKind::Session => chain.then(session()?),
            };
        }
        Ok(chain)
    }
}
