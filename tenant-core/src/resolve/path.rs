use http::request::Parts;

use super::{Resolve, ResolveError};
use crate::slug::TenantSlug;

/// The tenant is a segment of the URL path: `acme` in `/acme/dashboard` (position 0).
///
/// The segment must already be a slug (`^[a-z0-9_-]+$`, at most 63 characters); it is
/// not decoded or lowercased, so `/%61cme/` and `/Acme/` name no tenant rather than
/// `acme`. A missing, non-slug or excluded segment names no tenant (`Ok(None)`).
///
/// ```
/// use tenant_core::resolve::{Path, Resolve};
///
/// let path = Path::new(0);
/// let (parts, ()) = http::Request::builder()
///     .uri("/acme/dashboard")
///     .body(())
///     .unwrap()
///     .into_parts();
/// assert_eq!(path.resolve(&parts).unwrap().unwrap().as_str(), "acme");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    position: usize,
    exclude: Vec<String>,
}

impl Path {
    /// Segments that are never tenants unless [`exclude`](Self::exclude) says otherwise.
    pub const DEFAULT_EXCLUDE: [&'static str; 4] = ["admin", "api", "static", "media"];

    /// The tenant is the segment at `position` (0 is the first after the leading `/`).
    pub fn new(position: usize) -> Self {
        Self {
            position,
            exclude: Self::DEFAULT_EXCLUDE
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
        }
    }

    /// Replaces the excluded segments (compared exactly, as segments are not lowercased).
    pub fn exclude<I, S>(mut self, segments: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.exclude = segments.into_iter().map(Into::into).collect();
        self
    }

    /// The position of the tenant segment.
    pub fn position(&self) -> usize {
        self.position
    }

    /// The tenant named by a request path (`/acme/dashboard`).
    pub fn resolve_path(&self, path: &str) -> Option<TenantSlug> {
        let segment = path.strip_prefix('/')?.split('/').nth(self.position)?;
        if self.exclude.iter().any(|e| e == segment) {
            return None;
        }
        // Parsed, not normalised: a segment that is not already a slug names no tenant.
        TenantSlug::parse(segment).ok()
    }
}

impl Resolve for Path {
    fn resolve(&self, parts: &Parts) -> Result<Option<TenantSlug>, ResolveError> {
        Ok(self.resolve_path(parts.uri.path()))
    }
}
