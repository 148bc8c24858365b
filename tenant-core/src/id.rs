use std::fmt;

/// The primary key of a tenant, as stored in every tenant-owned row.
///
/// A `TenantId` is only a number: holding one grants nothing. Queries are opened
/// by a [`TenantCtx`](crate::TenantCtx), which cannot be built from an id alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TenantId(i64);

impl TenantId {
    /// Wraps a raw tenant primary key.
    pub const fn new(id: i64) -> Self {
        Self(id)
    }

    /// The raw primary key, as bound into SQL.
    pub const fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl From<i64> for TenantId {
    fn from(id: i64) -> Self {
        Self(id)
    }
}
