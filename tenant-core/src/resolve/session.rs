use std::fmt;
use std::marker::PhantomData;

use http::request::Parts;

use super::{Resolve, ResolveError};
use crate::slug::TenantSlug;

/// Read access to the application's session, for the [`Session`] resolver.
///
/// The application implements it for the session type that its session middleware
/// puts into the request extensions (or for a small type its own middleware inserts).
///
/// ```
/// use std::collections::HashMap;
/// use tenant_core::resolve::TenantSession;
///
/// #[derive(Clone)]
/// struct MySession(HashMap<String, String>);
///
/// impl TenantSession for MySession {
///     fn get(&self, key: &str) -> Option<String> {
///         self.0.get(key).cloned()
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a session the tenant resolver can read",
    label = "cannot read a tenant slug from this",
    note = "implement `tenant_diesel::resolve::TenantSession` for the session type your middleware stores in the request extensions: `fn get(&self, key: &str) -> Option<String>`"
)]
pub trait TenantSession: Send + Sync + 'static {
    /// The value stored under `key`, if any.
    fn get(&self, key: &str) -> Option<String>;
}

/// The tenant slug is stored in the session under `key`.
///
/// The session is taken from the request extensions as an `S`. No session, or no value
/// under `key`, names no tenant; a value that is not a slug is
/// [`ResolveError::MalformedSession`].
pub struct Session<S> {
    key: String,
    // `fn() -> S`: the resolver never holds an `S`, so it is Send + Sync whatever `S` is.
    _session: PhantomData<fn() -> S>,
}

impl<S: TenantSession> Session<S> {
    /// Reads the slug stored under `key`.
    pub fn new(key: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            _session: PhantomData,
        }
    }

    /// The session key read.
    pub fn key(&self) -> &str {
        &self.key
    }
}

impl<S> Clone for Session<S> {
    fn clone(&self) -> Self {
        Self {
            key: self.key.clone(),
            _session: PhantomData,
        }
    }
}

impl<S> fmt::Debug for Session<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("key", &self.key)
            .field("session", &std::any::type_name::<S>())
            .finish()
    }
}

impl<S: TenantSession> Resolve for Session<S> {
    fn resolve(&self, parts: &Parts) -> Result<Option<TenantSlug>, ResolveError> {
        let Some(value) = parts.extensions.get::<S>().and_then(|s| s.get(&self.key)) else {
            return Ok(None);
        };
        TenantSlug::parse(&value)
            .map(Some)
            .map_err(|_| ResolveError::MalformedSession)
    }
}
