//! The signed tenant: what a unit of work writes into the tenant setting when the
//! policies verify it, so that raw SQL on the application's own role cannot name
//! another tenant (`SET LOCAL app.tenant_id = '2'` is refused).
//!
//! The value is `v1:<tenant>:<expires>:<mac>`: the tenant, a Unix time in
//! seconds after which the database refuses it, and HMAC-SHA256 of the first
//! three fields under the [`WallKey`]. The database holds the same key in a table
//! only its owner reads; the `SECURITY DEFINER` function `tenant_wall.current_tenant()`
//! checks the value once per statement and returns the tenant, or `NULL` (which
//! matches no row) for anything forged, expired or malformed.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use tenant_core::AnyTenantId;

type HmacSha256 = Hmac<Sha256>;

/// SHA-256's block size: HMAC pads its key to it.
const BLOCK: usize = 64;

/// The secret that signs the tenant of every unit of work on PostgreSQL: 32
/// random bytes, shared by the application (in its configuration) and the
/// database (installed by its owner with [`WallKey::install`]).
///
/// Whoever holds it can act for any tenant, as the application can: keep it
/// where the application's other secrets are, never in the database the
/// application's role can read.
#[derive(Clone, PartialEq, Eq)]
pub struct WallKey([u8; 32]);

/// A key that is not 64 hexadecimal digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "a wall key is 64 hexadecimal digits (32 bytes), as `WallKey::generate()?.to_hex()` writes it"
)]
pub struct InvalidWallKey;

impl WallKey {
    /// A new key from the operating system's random source.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut bytes = [0; 32];
        getrandom::fill(&mut bytes)?;
        Ok(Self(bytes))
    }

    /// A key from its hexadecimal form (the form to keep in configuration).
    pub fn from_hex(hex: &str) -> Result<Self, InvalidWallKey> {
        let hex = hex.trim().as_bytes();
        if hex.len() != 64 {
            return Err(InvalidWallKey);
        }
        let mut bytes = [0; 32];
        for (byte, pair) in bytes.iter_mut().zip(hex.chunks(2)) {
            let pair = std::str::from_utf8(pair).map_err(|_| InvalidWallKey)?;
            *byte = u8::from_str_radix(pair, 16).map_err(|_| InvalidWallKey)?;
        }
        Ok(Self(bytes))
    }

    /// The key in hexadecimal, to keep in configuration.
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }

    /// HMAC's inner and outer padded keys: what the database stores, so that its
    /// verifier is two calls of PostgreSQL's built-in `sha256` (no extension).
    pub(crate) fn pads(&self) -> ([u8; BLOCK], [u8; BLOCK]) {
        let (mut inner, mut outer) = ([0x36; BLOCK], [0x5c; BLOCK]);
        for (i, byte) in self.0.iter().enumerate() {
            inner[i] ^= byte;
            outer[i] ^= byte;
        }
        (inner, outer)
    }

    /// The signed value of the tenant setting for a unit of work that starts now
    /// and may last `lifetime`: what every unit of work writes into the setting.
    ///
    /// For the application's own raw SQL that must act as a tenant (a data
    /// script, a test of the wall): `SELECT set_config('app.tenant_id', $1, true)`
    /// inside a transaction. Whoever holds the key can act for any tenant this
    /// way; the escape-hatch report lists every call.
    pub fn signed_value(&self, tenant: impl Into<AnyTenantId>, lifetime: Duration) -> String {
        self.token(tenant.into(), lifetime)
    }

    pub(crate) fn token(&self, tenant: AnyTenantId, lifetime: Duration) -> String {
        let expires = SystemTime::now()
            .checked_add(lifetime)
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs());
        self.token_expiring(tenant, expires)
    }

    fn token_expiring(&self, tenant: AnyTenantId, expires: u64) -> String {
        let signed = format!("v1:{tenant}:{expires}");
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        mac.update(signed.as_bytes());
        format!("{signed}:{}", hex(&mac.finalize().into_bytes()))
    }
}

impl WallKey {
    /// Installs (or replaces) the key in the database, for the verifier of the
    /// signed tenant. Run it as the role that ran the row-level-security
    /// migration (the owner of `tenant_wall.signing_key`), never as the
    /// application's role, which can neither read nor write it.
    ///
    /// Replacing the key refuses the values signed with the old one: units of
    /// work in flight see nothing until they end.
    // One bound statement; the lint is for handler code.
    #[allow(clippy::disallowed_methods)]
    pub fn install(&self, owner: &mut diesel::pg::PgConnection) -> diesel::QueryResult<()> {
        use diesel::sql_types::Binary;
        use diesel::RunQueryDsl;

        let (inner, outer) = self.pads();
        diesel::sql_query(
            "INSERT INTO tenant_wall.signing_key (one_row, inner_pad, outer_pad) \
             VALUES (true, $1, $2) \
             ON CONFLICT (one_row) DO UPDATE SET inner_pad = EXCLUDED.inner_pad, outer_pad = EXCLUDED.outer_pad",
        )
        .bind::<Binary, _>(&inner[..])
        .bind::<Binary, _>(&outer[..])
        .execute(owner)
        .map(drop)
    }
}

impl fmt::Debug for WallKey {
    // The key is a secret: never in a log line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WallKey(..)")
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use sha2::Digest;

    use super::*;

    fn sha256(parts: &[&[u8]]) -> Vec<u8> {
        let mut hash = Sha256::new();
        for part in parts {
            hash.update(part);
        }
        hash.finalize().to_vec()
    }

    #[test]
    fn the_pads_give_the_same_mac_as_hmac_itself() {
        // What the database computes: sha256(outer || sha256(inner || message)).
        let key = WallKey::from_hex(&"ab".repeat(32)).unwrap();
        let token = key.token_expiring(AnyTenantId::Integer(42), 1_900_000_000);
        let (signed, mac) = token.rsplit_once(':').unwrap();
        assert_eq!(signed, "v1:42:1900000000");
        let (inner, outer) = key.pads();
        let by_pads = sha256(&[&outer, &sha256(&[&inner, signed.as_bytes()])]);
        assert_eq!(hex(&by_pads), mac);
    }

    #[test]
    fn keys_round_trip_through_hex_and_refuse_anything_else() {
        let key = WallKey::generate().unwrap();
        assert_eq!(WallKey::from_hex(&key.to_hex()).unwrap(), key);
        assert_ne!(WallKey::generate().unwrap(), key);
        for bad in [
            "",
            "ab",
            &"zz".repeat(32),
            &"ab".repeat(33),
            &"é".repeat(32),
        ] {
            assert_eq!(WallKey::from_hex(bad), Err(InvalidWallKey), "{bad}");
        }
        assert_eq!(format!("{key:?}"), "WallKey(..)");
    }

    #[test]
    fn a_token_names_its_tenant_and_expiry_and_changes_with_either() {
        let key = WallKey::generate().unwrap();
        let one = key.token_expiring(AnyTenantId::Integer(1), 100);
        assert!(one.starts_with("v1:1:100:"), "{one}");
        assert_ne!(one, key.token_expiring(AnyTenantId::Integer(2), 100));
        assert_ne!(one, key.token_expiring(AnyTenantId::Integer(1), 101));
        let other = WallKey::generate().unwrap();
        assert_ne!(one, other.token_expiring(AnyTenantId::Integer(1), 100));
    }
}
