use std::fmt;

use crate::id::TenantId;

/// What a [`TenantKey`] addresses; part of the key, so kinds never collide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// A cached value, from [`TenantCtx::cache_key`](crate::TenantCtx::cache_key).
    Cache,
}

impl KeyKind {
    fn as_str(self) -> &'static str {
        match self {
            KeyKind::Cache => "cache",
        }
    }
}

/// A key for shared state (cache, session state, presence) that carries its tenant.
///
/// Only a [`TenantCtx`](crate::TenantCtx) builds one, and stores accept nothing
/// else, so a key shared by every tenant (`"dashboard_summary"`) does not compile.
///
/// The encoded form is `tenant/<id>/<kind>/<len>:<part>/...`: the tenant id is a
/// number and the kind a fixed word, and every part is prefixed with its length in
/// bytes, so the encoding is injective: no two distinct (tenant, kind, parts) give
/// the same string, whatever separators the parts contain.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TenantKey {
    tenant: TenantId,
    encoded: String,
}

impl TenantKey {
    pub(crate) fn new(tenant: TenantId, kind: KeyKind, parts: &[&str]) -> Self {
        let mut encoded = format!("tenant/{tenant}/{}/", kind.as_str());
        for part in parts {
            encoded.push_str(&format!("{}:{part}/", part.len()));
        }
        Self { tenant, encoded }
    }

    /// The tenant this key belongs to.
    pub fn tenant_id(&self) -> TenantId {
        self.tenant
    }

    /// The encoded key, as a store would write it.
    pub fn as_str(&self) -> &str {
        &self.encoded
    }
}

impl fmt::Display for TenantKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encoded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_containing_the_separator_do_not_collide() {
        let a = TenantKey::new(TenantId::new(1), KeyKind::Cache, &["a/1:b"]);
        let b = TenantKey::new(TenantId::new(1), KeyKind::Cache, &["a", "b"]);
        assert_ne!(a, b);
        assert_eq!(a.as_str(), "tenant/1/cache/5:a/1:b/");
    }

    #[test]
    fn the_same_name_under_two_tenants_gives_two_keys() {
        let a = TenantKey::new(TenantId::new(1), KeyKind::Cache, &["dashboard_summary"]);
        let b = TenantKey::new(TenantId::new(11), KeyKind::Cache, &["dashboard_summary"]);
        assert_ne!(a.as_str(), b.as_str());
    }
}
