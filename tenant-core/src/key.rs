use std::fmt;

use crate::id::AnyTenantId;

/// What a [`TenantKey`] addresses; part of the key, so kinds never collide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyKind {
    /// A cached value, from [`TenantCtx::cache_key`](crate::TenantCtx::cache_key).
    Cache,
    /// A field of a session's state, from
    /// [`TenantCtx::state_key`](crate::TenantCtx::state_key).
    State,
    /// The member set of a presence topic, from
    /// [`TenantCtx::presence_key`](crate::TenantCtx::presence_key).
    Presence,
}

impl KeyKind {
    /// Every kind, for decoding.
    #[cfg(test)]
    const ALL: [KeyKind; 3] = [KeyKind::Cache, KeyKind::State, KeyKind::Presence];

    fn as_str(self) -> &'static str {
        match self {
            KeyKind::Cache => "cache",
            KeyKind::State => "state",
            KeyKind::Presence => "presence",
        }
    }
}

/// A key for shared state (cache, session state, presence) that carries its tenant.
///
/// Only a [`TenantCtx`](crate::TenantCtx) builds one, and stores accept nothing
/// else, so a key shared by every tenant (`"dashboard_summary"`) does not compile.
///
/// The encoded form is `tenant/<id>/<kind>/<len>:<part>/...`:
///
/// ```text
/// ctx.cache_key("dashboard_summary")   tenant/1/cache/17:dashboard_summary/
/// ctx.state_key("s-42", "cart")        tenant/1/state/4:s-42/4:cart/
/// ctx.presence_key("doc/42")           tenant/1/presence/6:doc/42/
/// ```
///
/// The encoding is injective: no two distinct (tenant, kind, parts) give the same
/// string, whatever the parts contain. The id is a decimal number, so the first `/`
/// after `tenant/` ends it; the kind is one of three fixed words without `/`; and
/// every part is prefixed with its length in bytes, so a reader takes exactly that
/// many bytes and never looks for a separator inside a part. Reading is therefore
/// deterministic, and a string has at most one reading. The same argument makes
/// `tenant/<id>/` a prefix of every key of that tenant and of no other tenant's,
/// which is what a store's `clear_tenant` relies on (`tenant/1/` is not a prefix
/// of `tenant/11/...`). A part may contain `/`, `:`, digits, nothing at all or any
/// Unicode. The key holds the tenant's id, not its slug (slugs are `[a-z0-9_-]`
/// anyway).
///
/// The proof is a property test in this module: it decodes every key back to
/// what built it, and compares thousands of random pairs whose parts are made of
/// separators, colons, digits, empty strings, multi-byte characters and text that
/// spells other keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TenantKey {
    tenant: AnyTenantId,
    kind: KeyKind,
    encoded: String,
}

impl TenantKey {
    pub(crate) fn new(tenant: AnyTenantId, kind: KeyKind, parts: &[&str]) -> Self {
        let mut encoded = tenant_prefix(tenant);
        encoded.push_str(kind.as_str());
        encoded.push('/');
        for part in parts {
            encoded.push_str(&part.len().to_string());
            encoded.push(':');
            encoded.push_str(part);
            encoded.push('/');
        }
        Self {
            tenant,
            kind,
            encoded,
        }
    }

    /// The tenant this key belongs to.
    pub fn tenant_id(&self) -> AnyTenantId {
        self.tenant
    }

    /// What this key addresses.
    pub fn kind(&self) -> KeyKind {
        self.kind
    }

    /// The encoded key, as a store writes it.
    pub fn as_str(&self) -> &str {
        &self.encoded
    }
}

/// Implemented only by [`TenantKey`]: what a tenant-keyed store accepts as a key.
///
/// Sealed, so a `&str` or `String` key shared by every tenant cannot be passed.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a tenant key: a bare key is shared by every tenant",
    label = "this key does not carry the tenant",
    note = "build the key from the tenant context: `ctx.cache_key(\"dashboard_summary\")`, `ctx.state_key(session_id, \"cart\")` or `ctx.presence_key(\"doc/42\")`"
)]
pub trait AsTenantKey: sealed::Sealed {
    /// The tenant key itself.
    fn as_tenant_key(&self) -> &TenantKey;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::TenantKey {}
    impl Sealed for &super::TenantKey {}
}

impl AsTenantKey for TenantKey {
    fn as_tenant_key(&self) -> &TenantKey {
        self
    }
}

impl AsTenantKey for &TenantKey {
    fn as_tenant_key(&self) -> &TenantKey {
        self
    }
}

/// `tenant/<id>/`: the start of every key of `tenant`, and of no other tenant's key.
pub(crate) fn tenant_prefix(tenant: AnyTenantId) -> String {
    format!("tenant/{tenant}/")
}

impl fmt::Display for TenantKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encoded)
    }
}

/// Reads an encoded key back into (tenant, kind, parts); `None` if it is not one.
///
/// Exists to prove the encoding injective: a key that decodes to what it was built
/// from cannot also have been built from anything else.
#[cfg(test)]
fn decode(encoded: &str) -> Option<(AnyTenantId, KeyKind, Vec<String>)> {
    let rest = encoded.strip_prefix("tenant/")?;
    let (id, rest) = rest.split_once('/')?;
    // Only the form `Display` writes: no sign on positives, no leading zeros, a
    // UUID hyphenated in lowercase.
    let tenant = AnyTenantId::parse_canonical(id)?;
    let (kind, mut rest) = rest.split_once('/')?;
    let kind = KeyKind::ALL.into_iter().find(|k| k.as_str() == kind)?;
    let mut parts = Vec::new();
    while !rest.is_empty() {
        let (len, after) = rest.split_once(':')?;
        let len: usize = len.parse().ok()?;
        let part = after.get(..len)?;
        rest = after.get(len..)?.strip_prefix('/')?;
        parts.push(part.to_owned());
    }
    Some((tenant, kind, parts))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn parts_containing_the_separator_do_not_collide() {
        let a = TenantKey::new(int(1), KeyKind::Cache, &["a/1:b"]);
        let b = TenantKey::new(int(1), KeyKind::Cache, &["a", "b"]);
        assert_ne!(a, b);
        assert_eq!(a.as_str(), "tenant/1/cache/5:a/1:b/");
        assert_eq!(b.as_str(), "tenant/1/cache/1:a/1:b/");
    }

    #[test]
    fn the_same_name_under_two_tenants_gives_two_keys() {
        let a = TenantKey::new(int(1), KeyKind::Cache, &["dashboard_summary"]);
        let b = TenantKey::new(int(11), KeyKind::Cache, &["dashboard_summary"]);
        assert_ne!(a.as_str(), b.as_str());
        assert!(!b.as_str().starts_with(&tenant_prefix(int(1))));
    }

    #[test]
    fn the_documented_formats() {
        let t = int(1);
        assert_eq!(
            TenantKey::new(t, KeyKind::State, &["s-42", "cart"]).as_str(),
            "tenant/1/state/4:s-42/4:cart/"
        );
        assert_eq!(
            TenantKey::new(t, KeyKind::Presence, &["doc/42"]).as_str(),
            "tenant/1/presence/6:doc/42/"
        );
        assert_eq!(
            TenantKey::new(int(-3), KeyKind::Cache, &[""]).as_str(),
            "tenant/-3/cache/0:/"
        );
        #[cfg(feature = "uuid")]
        assert_eq!(
            TenantKey::new(
                AnyTenantId::Uuid(uuid::Uuid::from_u128(1)),
                KeyKind::Cache,
                &["a"]
            )
            .as_str(),
            "tenant/00000000-0000-0000-0000-000000000001/cache/1:a/"
        );
    }

    fn kind() -> impl Strategy<Value = KeyKind> {
        prop::sample::select(KeyKind::ALL.to_vec())
    }

    /// Parts built to collide if anything could: separators, digits, colons, the
    /// empty string, non-ASCII (multi-byte, so bytes and chars differ) and text
    /// that spells another key.
    fn part() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "[/:0-9a]{0,6}",
            "[/:1é☃𝄞a]{0,5}",
            Just("1:a/".to_owned()),
            Just("tenant/2/cache/1:a/".to_owned()),
            any::<String>(),
        ]
    }

    fn int(id: i64) -> AnyTenantId {
        AnyTenantId::Integer(id)
    }

    /// Integer ids near each other and anywhere, and (with the `uuid` feature)
    /// UUIDs, some of them spelled with digits only.
    fn tenant() -> impl Strategy<Value = AnyTenantId> {
        let integers = prop_oneof![(-3i64..=12).prop_map(int), any::<i64>().prop_map(int)];
        #[cfg(feature = "uuid")]
        let integers = prop_oneof![
            integers,
            any::<u128>().prop_map(|id| AnyTenantId::Uuid(uuid::Uuid::from_u128(id))),
            (0u128..12).prop_map(|id| AnyTenantId::Uuid(uuid::Uuid::from_u128(id))),
        ];
        integers
    }

    fn key() -> impl Strategy<Value = (AnyTenantId, KeyKind, Vec<String>)> {
        (tenant(), kind(), prop::collection::vec(part(), 0..4))
    }

    fn build((tenant, kind, parts): &(AnyTenantId, KeyKind, Vec<String>)) -> TenantKey {
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        TenantKey::new(*tenant, *kind, &parts)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        /// Every key reads back as what it was built from: the encoding has an
        /// inverse, so it is injective.
        #[test]
        fn every_key_decodes_to_what_built_it(k in key()) {
            let built = build(&k);
            prop_assert_eq!(decode(built.as_str()), Some(k.clone()));
            prop_assert_eq!(built.tenant_id(), k.0);
            prop_assert_eq!(built.kind(), k.1);
        }

        /// Two distinct (tenant, kind, parts) never give the same key, and a key
        /// starts with the tenant prefix of its own tenant only.
        #[test]
        fn distinct_inputs_give_distinct_keys(a in key(), b in key()) {
            let (ka, kb) = (build(&a), build(&b));
            prop_assert_eq!(a == b, ka.as_str() == kb.as_str());
            prop_assert_eq!(
                a.0 == b.0,
                ka.as_str().starts_with(&tenant_prefix(b.0)),
            );
        }

        /// Near misses: the same parts split differently, or one part moved into
        /// another tenant or kind, never collide.
        #[test]
        fn resplitting_the_same_text_never_collides(text in "[/:1a☃]{0,8}", at in 0usize..9) {
            let at = (0..=at.min(text.len())).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
            let (left, right) = text.split_at(at);
            let whole = TenantKey::new(int(1), KeyKind::State, &[&text]);
            let split = TenantKey::new(int(1), KeyKind::State, &[left, right]);
            prop_assert_ne!(whole.as_str(), split.as_str());
        }
    }
}
