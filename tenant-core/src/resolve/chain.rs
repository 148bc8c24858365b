use std::fmt;

use http::request::Parts;

use super::{Resolve, ResolveError};
use crate::slug::TenantSlug;

/// Tries resolvers in order; the first that names a tenant wins.
///
/// A resolver's error stops the chain at once: a malformed host must not fall through
/// to a later resolver that would accept the request for some tenant.
///
/// ```
/// use tenant_core::resolve::{Chain, Path, Resolve, Subdomain};
///
/// let chain = Chain::new()
///     .then(Subdomain::new("example.com").unwrap())
///     .then(Path::new(0));
/// let (parts, ()) = http::Request::builder()
///     .uri("/acme/dashboard")
///     .header("host", "www.example.com")
///     .body(())
///     .unwrap()
///     .into_parts();
/// assert_eq!(chain.resolve(&parts).unwrap().unwrap().as_str(), "acme");
/// ```
#[derive(Default)]
pub struct Chain {
    resolvers: Vec<Box<dyn Resolve>>,
}

impl Chain {
    /// An empty chain, which names no tenant.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `resolver`, tried after every resolver already in the chain.
    pub fn then(mut self, resolver: impl Resolve + 'static) -> Self {
        self.resolvers.push(Box::new(resolver));
        self
    }

    /// How many resolvers the chain holds.
    pub fn len(&self) -> usize {
        self.resolvers.len()
    }

    /// Whether the chain holds no resolver.
    pub fn is_empty(&self) -> bool {
        self.resolvers.is_empty()
    }
}

impl fmt::Debug for Chain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Chain")
            .field("resolvers", &self.resolvers.len())
            .finish()
    }
}

impl Resolve for Chain {
    fn resolve(&self, parts: &Parts) -> Result<Option<TenantSlug>, ResolveError> {
        for resolver in &self.resolvers {
            if let Some(slug) = resolver.resolve(parts)? {
                return Ok(Some(slug));
            }
        }
        Ok(None)
    }
}
