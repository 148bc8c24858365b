use http::header::HeaderName;
use http::request::Parts;

use super::{Resolve, ResolveError};
use crate::slug::TenantSlug;

/// The tenant slug is the value of a request header (`X-Tenant-ID` by default).
///
/// **Behind a trusted proxy only.** Any client can send any header, so this resolver
/// is only safe when a proxy in front of the application sets (or strips) the header
/// on every request. It is never part of a chain unless configured.
///
/// The header must appear at most once and hold exactly a slug; anything else is
/// [`ResolveError::MalformedHeader`]. A missing header names no tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    name: HeaderName,
}

impl Header {
    /// The header read when none is configured.
    pub const DEFAULT_NAME: &'static str = "x-tenant-id";

    /// Reads `X-Tenant-ID`.
    pub fn new() -> Self {
        Self::named(HeaderName::from_static(Self::DEFAULT_NAME))
    }

    /// Reads the header `name`.
    pub fn named(name: HeaderName) -> Self {
        Self { name }
    }

    /// The header read.
    pub fn name(&self) -> &HeaderName {
        &self.name
    }
}

impl Default for Header {
    fn default() -> Self {
        Self::new()
    }
}

impl Resolve for Header {
    fn resolve(&self, parts: &Parts) -> Result<Option<TenantSlug>, ResolveError> {
        let malformed = || ResolveError::MalformedHeader(self.name.clone());
        let mut values = parts.headers.get_all(&self.name).iter();
        let Some(value) = values.next() else {
            return Ok(None);
        };
        // Two values could come from the client and the proxy; picking either would
        // let the client win sometimes.
        if values.next().is_some() {
            return Err(malformed());
        }
        let value = value.to_str().map_err(|_| malformed())?;
        TenantSlug::parse(value).map(Some).map_err(|_| malformed())
    }
}
