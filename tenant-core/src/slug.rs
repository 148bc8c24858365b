use std::fmt;

use serde::{Deserialize, Serialize};

/// The longest slug accepted: one DNS label, so that every slug can also be a subdomain.
pub const MAX_SLUG_LEN: usize = 63;

/// A tenant's URL name (`acme` in `acme.example.com` or `/acme/dashboard`).
///
/// Always 1 to 63 characters of `[a-z0-9_-]`: already normalised, so two spellings of
/// one tenant cannot be two slugs, and no slug can carry a separator, a dot, a
/// percent-escape or a non-ASCII look-alike. A slug only names a tenant; it grants
/// nothing until a [`TenantDirectory`](crate::TenantDirectory) finds the tenant and a
/// membership check passes.
///
/// ```
/// use tenant_core::TenantSlug;
///
/// assert_eq!(TenantSlug::parse("acme").unwrap().as_str(), "acme");
/// assert!(TenantSlug::parse("Acme").is_err()); // not normalised
/// assert!(TenantSlug::parse("ac.me").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TenantSlug(String);

/// Why a string is not a [`TenantSlug`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SlugError {
    /// The string is empty.
    #[error("a tenant slug cannot be empty")]
    Empty,
    /// The string is longer than [`MAX_SLUG_LEN`].
    #[error("a tenant slug is at most 63 characters long")]
    TooLong,
    /// The string holds a character outside `[a-z0-9_-]`.
    #[error("a tenant slug may only hold `a-z`, `0-9`, `_` and `-`")]
    InvalidCharacter,
}

impl TenantSlug {
    /// Checks that `s` is a slug (`^[a-z0-9_-]{1,63}$`); nothing is normalised here.
    pub fn parse(s: &str) -> Result<Self, SlugError> {
        validate(s)?;
        Ok(Self(s.to_owned()))
    }

    /// The slug as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn validate(s: &str) -> Result<(), SlugError> {
    if s.is_empty() {
        return Err(SlugError::Empty);
    }
    if s.len() > MAX_SLUG_LEN {
        return Err(SlugError::TooLong);
    }
    if !s.bytes().all(is_slug_byte) {
        return Err(SlugError::InvalidCharacter);
    }
    Ok(())
}

fn is_slug_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'
}

impl fmt::Display for TenantSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for TenantSlug {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TenantSlug {
    type Error = SlugError;

    fn try_from(s: String) -> Result<Self, SlugError> {
        validate(&s)?;
        Ok(Self(s))
    }
}

impl TryFrom<&str> for TenantSlug {
    type Error = SlugError;

    fn try_from(s: &str) -> Result<Self, SlugError> {
        Self::parse(s)
    }
}

impl From<TenantSlug> for String {
    fn from(slug: TenantSlug) -> String {
        slug.0
    }
}

impl PartialEq<str> for TenantSlug {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for TenantSlug {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}
