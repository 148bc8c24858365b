use std::error::Error;
use std::fmt;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::actor::ActorId;
use crate::ctx::TenantCtx;
use crate::directory::TenantDirectory;
use crate::id::{AnyTenantId, TenantIdValue};
use crate::membership::{authorize, AccessDenied, MembershipCheck};
use crate::slug::TenantSlug;

type HmacSha256 = Hmac<Sha256>;

/// The first field under every claim's MAC. Another use of the same key (a cookie,
/// a download link) MACs other bytes, so its MAC never verifies as a claim's.
const PURPOSE: &[u8] = b"tenant-diesel/job-claim";

/// The format of the sealed fields; also under the MAC. An integer tenant id is
/// sealed as 8 bytes (version 1), a UUID as 16 (version 2), so that no claim of
/// one kind reads as a claim of the other.
const VERSION_INTEGER: u32 = 1;
#[cfg(feature = "uuid")]
const VERSION_UUID: u32 = 2;

/// The application's secret for sealing job claims: at least
/// [`MIN_LEN`](Self::MIN_LEN) random bytes, loaded from its secret configuration.
///
/// Every process that enqueues or runs jobs needs the same key. Give it a key of
/// its own rather than reusing the session or cookie secret: a claim's MAC starts
/// with a purpose tag, but a key that does one thing is easier to rotate and to
/// reason about. `Debug` does not print the key.
///
/// ```
/// use tenant_core::ClaimKey;
///
/// # let secret_from_config = [7u8; 32];
/// let key = ClaimKey::from_bytes(&secret_from_config)?;
/// assert_eq!(format!("{key:?}"), "ClaimKey(..)");
/// assert!(ClaimKey::from_bytes(b"too short").is_err());
/// # Ok::<(), tenant_core::ClaimKeyError>(())
/// ```
#[derive(Clone)]
pub struct ClaimKey {
    // Keyed once; each seal or check starts from a clone.
    mac: HmacSha256,
}

impl ClaimKey {
    /// The shortest key accepted, in bytes: the size of an HMAC-SHA256 output.
    pub const MIN_LEN: usize = 32;

    /// A key from the application's secret bytes; shorter than
    /// [`MIN_LEN`](Self::MIN_LEN) is refused.
    pub fn from_bytes(secret: &[u8]) -> Result<Self, ClaimKeyError> {
        if secret.len() < Self::MIN_LEN {
            return Err(ClaimKeyError::TooShort { len: secret.len() });
        }
        let mac = HmacSha256::new_from_slice(secret).expect("HMAC takes a key of any length");
        Ok(Self { mac })
    }
}

impl fmt::Debug for ClaimKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClaimKey(..)")
    }
}

/// Why bytes are not a [`ClaimKey`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClaimKeyError {
    /// The secret is shorter than [`ClaimKey::MIN_LEN`].
    #[error("a claim key must be at least 32 bytes long, this one has {len}")]
    TooShort {
        /// The secret's length, in bytes.
        len: usize,
    },
}

/// What a background job carries instead of a [`TenantCtx`]: who acted for which
/// tenant, sealed with the application's [`ClaimKey`].
///
/// A sealed claim serialises into a job payload and back; it grants nothing by
/// itself. The job turns it back into a context with
/// [`revalidate`](Self::revalidate), which first checks the MAC (so a payload
/// edited to name another tenant or another actor, or made without the key, is
/// [`ClaimError::Tampered`]), then the expiry, then that the tenant still exists
/// (same id under the same slug) and that the actor is still a member, because
/// either may have changed between enqueueing and running.
///
/// ```
/// # use std::convert::Infallible;
/// use tenant_core::{ActorId, ClaimError, ClaimKey, InMemoryDirectory, MembershipCheck,
///     ResolvedTenant, SealedClaim, Tenant, TenantId, TenantSlug};
///
/// struct Memberships;
/// impl MembershipCheck for Memberships {
///     type Error = Infallible;
///     fn is_member(&self, actor: &ActorId, _: &Tenant) -> Result<bool, Infallible> {
///         Ok(["alice", "bob"].contains(&actor.as_str()))
///     }
/// }
///
/// let acme = Tenant { id: TenantId::new(1), slug: TenantSlug::parse("acme").unwrap(),
///     name: "Acme".into(), plan: "pro".into() };
/// let directory = InMemoryDirectory::new([acme.clone()]);
/// # let secret_from_config = [7u8; 32];
/// let key = ClaimKey::from_bytes(&secret_from_config).unwrap();
/// let ctx = ResolvedTenant::new(acme).authorize(&ActorId::new("alice"), &Memberships).unwrap();
///
/// // Enqueue: the payload holds the sealed claim, never the context.
/// let payload = serde_json::to_string(&ctx.claim(&key)).unwrap();
///
/// // In the job:
/// let claim: SealedClaim = serde_json::from_str(&payload).unwrap();
/// let job_ctx = claim.revalidate(&key, &directory, &Memberships).unwrap();
/// assert_eq!(job_ctx, ctx);
///
/// // A payload edited to name another member opens nothing.
/// let edited = payload.replace("\"alice\"", "\"bob\"");
/// let claim: SealedClaim = serde_json::from_str(&edited).unwrap();
/// assert!(matches!(claim.revalidate(&key, &directory, &Memberships), Err(ClaimError::Tampered)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedClaim {
    v: u32,
    #[serde(with = "claim_tenant")]
    tenant_id: AnyTenantId,
    tenant_slug: TenantSlug,
    actor: ActorId,
    #[serde(with = "unix_seconds")]
    issued_at: DateTime<Utc>,
    #[serde(with = "unix_seconds")]
    expires_at: DateTime<Utc>,
    /// HMAC-SHA256 of the fields above, lowercase hex. Kept as text so that a
    /// malformed or truncated MAC reaches the check and fails there.
    mac: String,
}

/// Why a [`SealedClaim`] did not re-validate into a context.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClaimError {
    /// The claim was not sealed by this key in this format: a field, the version
    /// or the MAC was changed, the MAC is missing, truncated or malformed, or
    /// another key sealed it. Nothing in the claim was looked at.
    #[error("the job claim was tampered with or sealed with another key")]
    Tampered,
    /// The claim's lifetime is over; enqueue the job again from a fresh context.
    #[error("the job claim expired at {0}")]
    Expired(DateTime<Utc>),
    /// No tenant has the claim's slug any more.
    #[error("tenant `{0}` no longer exists")]
    TenantGone(TenantSlug),
    /// The slug now names another tenant (deleted and re-created, or renamed).
    #[error("tenant `{0}` is now a different tenant")]
    TenantReplaced(TenantSlug),
    /// The directory lookup failed.
    #[error("the tenant directory failed")]
    Directory(#[source] Box<dyn Error + Send + Sync>),
    /// The actor is no longer a member, or the check failed.
    #[error(transparent)]
    Denied(#[from] AccessDenied),
}

impl SealedClaim {
    /// How long a claim from [`TenantCtx::claim`] stays valid: one day. Jobs that
    /// may run later (scheduled, or retried for longer) seal theirs with
    /// [`TenantCtx::claim_valid_for`].
    pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

    pub(crate) fn seal(
        key: &ClaimKey,
        tenant: AnyTenantId,
        slug: &TenantSlug,
        actor: &ActorId,
        now: DateTime<Utc>,
        lifetime: Duration,
    ) -> Self {
        let issued_at = whole_seconds(now);
        // Rounded up to a second, and capped at the latest time there is.
        let secs = lifetime
            .as_secs()
            .saturating_add(u64::from(lifetime.subsec_nanos() > 0));
        let expires_at = i64::try_from(secs)
            .ok()
            .and_then(TimeDelta::try_seconds)
            .and_then(|d| issued_at.checked_add_signed(d))
            .map_or_else(|| whole_seconds(DateTime::<Utc>::MAX_UTC), whole_seconds);
        let mut claim = Self {
            v: version_of(tenant),
            tenant_id: tenant,
            tenant_slug: slug.clone(),
            actor: actor.clone(),
            issued_at,
            expires_at,
            mac: String::new(),
        };
        claim.mac = hex(&claim.mac_of_fields(key).finalize().into_bytes());
        claim
    }

    /// Checks the MAC, the expiry, the tenant and the membership, in that order,
    /// and mints a fresh [`TenantCtx`] for the claim's actor.
    ///
    /// The MAC is compared in constant time before any field is used, so a claim
    /// that `key` did not seal fails with [`ClaimError::Tampered`] without a
    /// directory lookup or a membership check.
    pub fn revalidate<V, D, M>(
        &self,
        key: &ClaimKey,
        directory: &D,
        membership: &M,
    ) -> Result<TenantCtx<V>, ClaimError>
    where
        V: TenantIdValue,
        D: TenantDirectory<V> + ?Sized,
        M: MembershipCheck<V> + ?Sized,
    {
        self.verify(key)?;
        if Utc::now() >= self.expires_at {
            return Err(ClaimError::Expired(self.expires_at));
        }
        let tenant = directory
            .find_by_slug(&self.tenant_slug)
            .map_err(|e| ClaimError::Directory(Box::new(e)))?
            .ok_or_else(|| ClaimError::TenantGone(self.tenant_slug.clone()))?;
        // A slug is reusable; the id is not. Matching both keeps a job from running
        // against a new tenant that took a deleted tenant's name.
        if tenant.id.erase() != self.tenant_id {
            return Err(ClaimError::TenantReplaced(self.tenant_slug.clone()));
        }
        Ok(authorize(&tenant, self.actor.clone(), membership)?)
    }

    fn verify(&self, key: &ClaimKey) -> Result<(), ClaimError> {
        let tag = unhex(&self.mac).ok_or(ClaimError::Tampered)?;
        self.mac_of_fields(key)
            .verify_slice(&tag)
            .map_err(|_| ClaimError::Tampered)?;
        // Only this library seals claims; a version it does not know is not one it
        // sealed, even under a valid MAC.
        if self.v != version_of(self.tenant_id) {
            return Err(ClaimError::Tampered);
        }
        Ok(())
    }

    /// The MAC state after every sealed field: fixed-width integers and
    /// length-prefixed text, so that no two claims encode to the same bytes.
    fn mac_of_fields(&self, key: &ClaimKey) -> HmacSha256 {
        let mut mac = key.mac.clone();
        field(&mut mac, PURPOSE);
        mac.update(&self.v.to_be_bytes());
        match self.tenant_id {
            AnyTenantId::Integer(id) => mac.update(&id.to_be_bytes()),
            #[cfg(feature = "uuid")]
            AnyTenantId::Uuid(id) => mac.update(id.as_bytes()),
        }
        field(&mut mac, self.tenant_slug.as_str().as_bytes());
        field(&mut mac, self.actor.as_str().as_bytes());
        mac.update(&self.issued_at.timestamp().to_be_bytes());
        mac.update(&self.expires_at.timestamp().to_be_bytes());
        mac
    }

    /// The tenant id the claim names, **not verified**: for logs and metrics only.
    /// Nothing here has been checked against the key; [`revalidate`](Self::revalidate)
    /// is the only way to a context.
    pub fn unverified_tenant_id(&self) -> AnyTenantId {
        self.tenant_id
    }

    /// The tenant slug the claim names, **not verified**: for logs and metrics only.
    pub fn unverified_tenant_slug(&self) -> &TenantSlug {
        &self.tenant_slug
    }

    /// The actor the claim names, **not verified**: for logs and metrics only.
    pub fn unverified_actor(&self) -> &ActorId {
        &self.actor
    }

    /// When the claim says it was sealed, **not verified**: for logs and metrics only.
    pub fn unverified_issued_at(&self) -> DateTime<Utc> {
        self.issued_at
    }

    /// When the claim says it expires, **not verified**: for logs and metrics only.
    pub fn unverified_expires_at(&self) -> DateTime<Utc> {
        self.expires_at
    }
}

fn field(mac: &mut HmacSha256, bytes: &[u8]) {
    mac.update(&(bytes.len() as u64).to_be_bytes());
    mac.update(bytes);
}

fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// Lowercase only: one MAC has one spelling, so flipping a letter's case is a
/// change too.
fn unhex(text: &str) -> Option<Vec<u8>> {
    fn digit(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        }
    }
    let bytes = text.as_bytes();
    if bytes.len() % 2 != 0 {
        return None;
    }
    bytes
        .chunks_exact(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

/// The claim's format version for a tenant id of this kind.
fn version_of(tenant: AnyTenantId) -> u32 {
    match tenant {
        AnyTenantId::Integer(_) => VERSION_INTEGER,
        #[cfg(feature = "uuid")]
        AnyTenantId::Uuid(_) => VERSION_UUID,
    }
}

/// A tenant id as JSON: an integer as a number (as version 1 always wrote it),
/// a UUID as its hyphenated lowercase text, and nothing else.
mod claim_tenant {
    use serde::{de, Deserialize, Deserializer, Serializer};

    use crate::id::AnyTenantId;

    pub(super) fn serialize<S: Serializer>(id: &AnyTenantId, s: S) -> Result<S::Ok, S::Error> {
        match id {
            AnyTenantId::Integer(id) => s.serialize_i64(*id),
            #[cfg(feature = "uuid")]
            AnyTenantId::Uuid(_) => s.collect_str(id),
        }
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Written {
        Integer(i64),
        Text(String),
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<AnyTenantId, D::Error> {
        match Written::deserialize(d)? {
            Written::Integer(id) => Ok(AnyTenantId::Integer(id)),
            // Text is only ever a UUID: an integer written as text is not a
            // claim this library sealed.
            Written::Text(text) => AnyTenantId::parse_canonical(&text)
                .filter(|id| !matches!(id, AnyTenantId::Integer(_)))
                .ok_or_else(|| de::Error::custom("a tenant id that is not an integer or a UUID")),
        }
    }
}

/// A timestamp as whole seconds since the Unix epoch.
mod unix_seconds {
    use chrono::{DateTime, Utc};
    use serde::{de, Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(t.timestamp())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let secs = i64::deserialize(d)?;
        DateTime::from_timestamp(secs, 0)
            .ok_or_else(|| de::Error::custom("a timestamp out of range"))
    }
}

// The context's claim methods live here, with the claim they seal, so that the
// context does not depend on claims while claims re-mint contexts.
impl<V: TenantIdValue> TenantCtx<V> {
    /// A claim for a background job, sealed with `key` and valid for
    /// [`SealedClaim::DEFAULT_LIFETIME`]; the job re-validates it into a context
    /// with [`SealedClaim::revalidate`] and the same key.
    pub fn claim(&self, key: &ClaimKey) -> SealedClaim {
        self.claim_valid_for(key, SealedClaim::DEFAULT_LIFETIME)
    }

    /// A claim for a background job, sealed with `key` and valid for `lifetime`
    /// (rounded up to whole seconds): for jobs scheduled or retried later than
    /// [`SealedClaim::DEFAULT_LIFETIME`] allows, or to keep a claim shorter-lived.
    pub fn claim_valid_for(&self, key: &ClaimKey, lifetime: Duration) -> SealedClaim {
        SealedClaim::seal(
            key,
            self.tenant_id().erase(),
            self.slug(),
            self.actor(),
            Utc::now(),
            lifetime,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> ClaimKey {
        ClaimKey::from_bytes(&[42; 32]).unwrap()
    }

    fn claim(lifetime: Duration) -> SealedClaim {
        SealedClaim::seal(
            &key(),
            AnyTenantId::Integer(1),
            &TenantSlug::parse("acme").unwrap(),
            &ActorId::new("alice"),
            Utc::now(),
            lifetime,
        )
    }

    #[test]
    fn hex_round_trips_and_is_lowercase_only() {
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(unhex(&hex(&bytes)).unwrap(), bytes);
        assert_eq!(unhex("0aff"), Some(vec![0x0a, 0xff]));
        assert_eq!(unhex("0AFF"), None);
        assert_eq!(unhex("0af"), None);
        assert_eq!(unhex("0g"), None);
        assert_eq!(unhex(""), Some(vec![]));
    }

    #[test]
    fn lifetimes_round_up_to_a_second_and_saturate() {
        let c = claim(Duration::from_millis(1));
        assert_eq!(c.expires_at - c.issued_at, TimeDelta::seconds(1));
        let c = claim(Duration::MAX);
        assert_eq!(c.expires_at, whole_seconds(DateTime::<Utc>::MAX_UTC));
        assert!(c.verify(&key()).is_ok());
    }

    #[test]
    fn every_sealed_field_is_under_the_mac() {
        let sealed = claim(Duration::from_secs(60));
        assert!(sealed.verify(&key()).is_ok());
        let edits: [fn(&mut SealedClaim); 6] = [
            |c| c.v = 2,
            |c| c.tenant_id = AnyTenantId::Integer(2),
            |c| c.tenant_slug = TenantSlug::parse("acmf").unwrap(),
            |c| c.actor = ActorId::new("alicf"),
            |c| c.issued_at -= TimeDelta::seconds(1),
            |c| c.expires_at += TimeDelta::seconds(1),
        ];
        for edit in edits {
            let mut c = sealed.clone();
            edit(&mut c);
            assert!(matches!(c.verify(&key()), Err(ClaimError::Tampered)));
        }
    }

    #[cfg(feature = "uuid")]
    #[test]
    fn a_uuid_tenant_is_sealed_as_version_2_and_reads_back() {
        let id = AnyTenantId::Uuid(uuid::Uuid::from_u128(7));
        let sealed = SealedClaim::seal(
            &key(),
            id,
            &TenantSlug::parse("acme").unwrap(),
            &ActorId::new("alice"),
            Utc::now(),
            Duration::from_secs(60),
        );
        assert_eq!(sealed.v, 2);
        let json = serde_json::to_string(&sealed).unwrap();
        assert!(
            json.contains(r#""tenant_id":"00000000-0000-0000-0000-000000000007""#),
            "{json}"
        );
        let read: SealedClaim = serde_json::from_str(&json).unwrap();
        assert_eq!(read, sealed);
        assert!(read.verify(&key()).is_ok());
        // The same claim with the UUID's spelling changed, or the id made an
        // integer, is not one the library wrote.
        let upper = json.replace(
            "00000000-0000-0000-0000-000000000007",
            "00000000000000000000000000000007",
        );
        assert!(serde_json::from_str::<SealedClaim>(&upper).is_err());
        let mut as_integer = sealed.clone();
        as_integer.tenant_id = AnyTenantId::Integer(7);
        assert!(matches!(
            as_integer.verify(&key()),
            Err(ClaimError::Tampered)
        ));
        let quoted_integer = json.replace(r#""00000000-0000-0000-0000-000000000007""#, r#""7""#);
        assert!(serde_json::from_str::<SealedClaim>(&quoted_integer).is_err());
    }

    #[test]
    fn text_fields_cannot_trade_bytes() {
        // Without length prefixes these two would MAC the same bytes.
        let seal = |slug: &str, actor: &str| {
            SealedClaim::seal(
                &key(),
                AnyTenantId::Integer(1),
                &TenantSlug::parse(slug).unwrap(),
                &ActorId::new(actor),
                DateTime::from_timestamp(0, 0).unwrap(),
                Duration::from_secs(60),
            )
        };
        assert_ne!(seal("acme", "alice").mac, seal("acmea", "lice").mac);
    }
}
