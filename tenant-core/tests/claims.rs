//! Sealed job claims: a claim that crossed a process boundary mints a context only
//! if the application's key sealed it, it has not expired, the tenant is still the
//! same tenant and the actor is still a member.

use std::time::Duration;

use hmac::{Hmac, Mac};
use proptest::prelude::*;
use serde_json::{json, Value};
use sha2::Sha256;
use tenant_core::{
    AccessDenied, ActorId, ClaimError, ClaimKey, ClaimKeyError, InMemoryDirectory, ResolvedTenant,
    SealedClaim, Tenant, TenantCtx, TenantDirectory, TenantId, TenantSlug,
};

mod common;
use common::Memberships;

const SECRET: &[u8; 32] = b"0123456789abcdef0123456789abcdef";

fn key() -> ClaimKey {
    ClaimKey::from_bytes(SECRET).unwrap()
}

fn tenant(id: i64, slug: &str) -> Tenant {
    Tenant {
        id: TenantId::new(id),
        slug: TenantSlug::parse(slug).unwrap(),
        name: slug.to_uppercase(),
        plan: "free".into(),
    }
}

fn directory() -> InMemoryDirectory {
    InMemoryDirectory::new([tenant(1, "acme"), tenant(2, "contoso")])
}

/// Alice belongs to both tenants and Bob to Acme, so every edit below names a
/// tenant and an actor that the directory and the membership check would accept:
/// only the seal stands between an edited payload and a context.
fn members() -> Memberships {
    Memberships(vec![("alice", 1), ("alice", 2), ("bob", 1)])
}

fn alice_at_acme() -> TenantCtx {
    ResolvedTenant::new(tenant(1, "acme"))
        .authorize(&ActorId::new("alice"), &members())
        .unwrap()
}

fn revalidate(claim: &SealedClaim) -> Result<TenantCtx, ClaimError> {
    claim.revalidate(&key(), &directory(), &members())
}

/// The check a claim had before it was sealed: directory and membership only, on
/// the payload's word.
fn without_the_seal(claim: &SealedClaim) -> Option<TenantCtx> {
    let tenant = directory()
        .find_by_slug(claim.unverified_tenant_slug())
        .unwrap()
        .filter(|t| t.id == claim.unverified_tenant_id())?;
    ResolvedTenant::new(tenant)
        .authorize(claim.unverified_actor(), &members())
        .ok()
}

fn sealed_json() -> Value {
    serde_json::to_value(alice_at_acme().claim(&key())).unwrap()
}

fn edited(edit: impl FnOnce(&mut Value)) -> SealedClaim {
    let mut payload = sealed_json();
    edit(&mut payload);
    serde_json::from_value(payload).expect("the edited payload is well-formed")
}

#[test]
fn a_sealed_claim_round_trips_through_json_and_toml() {
    let ctx = alice_at_acme();
    let sealed = ctx.claim(&key());

    let json = serde_json::to_string(&sealed).unwrap();
    let from_json: SealedClaim = serde_json::from_str(&json).unwrap();
    assert_eq!(from_json, sealed);
    assert_eq!(revalidate(&from_json).unwrap(), ctx);

    let toml = toml::to_string(&sealed).unwrap();
    let from_toml: SealedClaim = toml::from_str(&toml).unwrap();
    assert_eq!(from_toml, sealed);
    assert_eq!(revalidate(&from_toml).unwrap(), ctx);

    // What a job may log before re-validating.
    assert_eq!(sealed.unverified_tenant_id(), TenantId::new(1));
    assert_eq!(sealed.unverified_tenant_slug().as_str(), "acme");
    assert_eq!(sealed.unverified_actor(), &ActorId::new("alice"));
    let lifetime = sealed.unverified_expires_at() - sealed.unverified_issued_at();
    assert_eq!(lifetime.to_std().unwrap(), SealedClaim::DEFAULT_LIFETIME);
}

#[test]
fn the_payload_carries_the_fields_the_version_the_times_and_a_mac() {
    let payload = sealed_json();
    let object = payload.as_object().unwrap();
    let mut names: Vec<&str> = object.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "actor",
            "expires_at",
            "issued_at",
            "mac",
            "tenant_id",
            "tenant_slug",
            "v"
        ]
    );
    assert_eq!(payload["v"], 1);
    let mac = payload["mac"].as_str().unwrap();
    assert_eq!(mac.len(), 64);
    assert!(mac
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
}

/// The MAC input, written out independently: a purpose tag, the version and every
/// field, integers big-endian and fixed-width, text prefixed by its length.
fn expected_mac(purpose: &[u8], payload: &Value) -> String {
    fn text(mac: &mut Hmac<Sha256>, bytes: &[u8]) {
        mac.update(&(bytes.len() as u64).to_be_bytes());
        mac.update(bytes);
    }
    let int = |name: &str| payload[name].as_i64().unwrap().to_be_bytes();
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET).unwrap();
    text(&mut mac, purpose);
    mac.update(&(payload["v"].as_u64().unwrap() as u32).to_be_bytes());
    mac.update(&int("tenant_id"));
    text(
        &mut mac,
        payload["tenant_slug"].as_str().unwrap().as_bytes(),
    );
    text(&mut mac, payload["actor"].as_str().unwrap().as_bytes());
    mac.update(&int("issued_at"));
    mac.update(&int("expires_at"));
    let bytes = mac.finalize().into_bytes();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_mac_covers_a_purpose_tag_and_length_prefixed_fields() {
    let payload = sealed_json();
    assert_eq!(
        payload["mac"].as_str().unwrap(),
        expected_mac(b"tenant-diesel/job-claim", &payload)
    );

    // The same key used for something else (here: the same fields under another
    // purpose, and the fields alone) makes MACs that are not claims.
    for purpose in [&b"tenant-diesel/session"[..], b""] {
        let mut other_use = payload.clone();
        other_use["mac"] = json!(expected_mac(purpose, &payload));
        let claim: SealedClaim = serde_json::from_value(other_use).unwrap();
        assert!(without_the_seal(&claim).is_some());
        assert!(matches!(revalidate(&claim), Err(ClaimError::Tampered)));
    }
}

#[test]
fn an_edited_actor_is_refused_where_the_unsealed_check_would_have_let_it_in() {
    let claim = edited(|p| p["actor"] = json!("bob"));

    // The control: the edited payload names Bob, a member of Acme, so the check
    // claims had before the seal would have minted Bob's context.
    assert_eq!(claim.unverified_actor(), &ActorId::new("bob"));
    let bob = without_the_seal(&claim).expect("the unsealed check accepts the edit");
    assert_eq!(bob.actor(), &ActorId::new("bob"));

    assert!(matches!(revalidate(&claim), Err(ClaimError::Tampered)));
}

#[test]
fn an_edited_tenant_is_refused_where_the_unsealed_check_would_have_let_it_in() {
    // Alice is a member of Contoso too: renaming the tenant in the payload (id and
    // slug together) would have opened Contoso.
    let claim = edited(|p| {
        p["tenant_id"] = json!(2);
        p["tenant_slug"] = json!("contoso");
    });
    assert_eq!(
        without_the_seal(&claim).unwrap().tenant_id(),
        TenantId::new(2)
    );
    assert!(matches!(revalidate(&claim), Err(ClaimError::Tampered)));
}

#[test]
fn every_single_field_edit_is_refused() {
    let edits: [(&str, Value); 7] = [
        ("v", json!(2)),
        ("v", json!(0)),
        ("tenant_id", json!(2)),
        ("tenant_slug", json!("contoso")),
        ("actor", json!("bob")),
        ("issued_at", json!(0)),
        ("expires_at", json!(4_102_444_800_i64)), // 2100-01-01
    ];
    for (field, value) in edits {
        let claim = edited(|p| p[field] = value.clone());
        assert!(
            matches!(revalidate(&claim), Err(ClaimError::Tampered)),
            "{field} = {value}"
        );
    }
}

#[test]
fn a_claim_sealed_with_another_key_is_refused() {
    let other = ClaimKey::from_bytes(b"fedcba9876543210fedcba9876543210").unwrap();
    let claim = alice_at_acme().claim(&other);
    assert!(without_the_seal(&claim).is_some());
    assert!(matches!(revalidate(&claim), Err(ClaimError::Tampered)));
    assert!(claim.revalidate(&other, &directory(), &members()).is_ok());
}

#[test]
fn a_missing_truncated_or_malformed_mac_is_refused() {
    let good = sealed_json()["mac"].as_str().unwrap().to_owned();
    let bad_macs = [
        String::new(),
        good[..good.len() - 2].to_owned(), // one byte short
        good[..good.len() - 1].to_owned(), // half a byte short
        format!("{good}00"),               // one byte long
        good.to_uppercase(),               // another spelling of the same bytes
        format!("zz{}", &good[2..]),
        "0".repeat(64),
    ];
    for mac in bad_macs {
        let claim = edited(|p| p["mac"] = json!(mac));
        assert!(
            matches!(revalidate(&claim), Err(ClaimError::Tampered)),
            "mac = {mac:?}"
        );
    }

    let mut missing = sealed_json();
    missing.as_object_mut().unwrap().remove("mac");
    assert!(serde_json::from_value::<SealedClaim>(missing).is_err());
}

#[test]
fn a_malformed_payload_is_not_a_claim() {
    let payload = serde_json::to_string(&sealed_json()).unwrap();
    let malformed = [
        payload[..payload.len() - 1].to_owned(),
        payload.replace("\"acme\"", "\"Acme\""), // not a slug
        payload.replace("\"tenant_id\":1", "\"tenant_id\":\"1\""),
        payload.replace("\"v\":1", "\"v\":1,\"verified\":true"),
        payload.replace("\"v\":1", "\"v\":-1"),
        "{}".to_owned(),
        "null".to_owned(),
    ];
    for text in malformed {
        assert!(
            serde_json::from_str::<SealedClaim>(&text).is_err(),
            "{text}"
        );
    }
}

#[test]
fn an_expired_claim_is_refused() {
    let ctx = alice_at_acme();
    let expired = ctx.claim_valid_for(&key(), Duration::ZERO);
    assert!(without_the_seal(&expired).is_some());
    assert!(matches!(
        revalidate(&expired),
        Err(ClaimError::Expired(at)) if at == expired.unverified_expires_at()
    ));

    // Extending it in the payload breaks the seal.
    let mut payload = serde_json::to_value(&expired).unwrap();
    payload["expires_at"] = json!(payload["expires_at"].as_i64().unwrap() + 3600);
    let extended: SealedClaim = serde_json::from_value(payload).unwrap();
    assert!(matches!(revalidate(&extended), Err(ClaimError::Tampered)));

    let fresh = ctx.claim_valid_for(&key(), Duration::from_secs(60));
    assert_eq!(revalidate(&fresh).unwrap(), ctx);
}

#[test]
fn revalidation_still_checks_the_tenant_and_the_membership() {
    let claim = alice_at_acme().claim(&key());

    // The actor left the tenant.
    assert!(matches!(
        claim.revalidate(&key(), &directory(), &Memberships(vec![])),
        Err(ClaimError::Denied(AccessDenied::NotAMember { .. }))
    ));
    // The tenant was deleted.
    let mut gone = directory();
    gone.remove(&TenantSlug::parse("acme").unwrap());
    assert!(matches!(
        claim.revalidate(&key(), &gone, &members()),
        Err(ClaimError::TenantGone(_))
    ));
    // The slug now belongs to another tenant.
    let mut reused = gone.clone();
    reused.insert(tenant(7, "acme"));
    assert!(matches!(
        claim.revalidate(&key(), &reused, &members()),
        Err(ClaimError::TenantReplaced(_))
    ));
}

#[test]
fn a_claim_key_is_long_enough_and_never_printed() {
    assert_eq!(
        ClaimKey::from_bytes(&SECRET[..31]).unwrap_err(),
        ClaimKeyError::TooShort { len: 31 }
    );
    assert!(ClaimKey::from_bytes(b"").is_err());
    assert!(ClaimKey::from_bytes(&[0x5a; 64]).is_ok());
    let printed = format!("{:?} {:#?}", key(), key());
    assert!(!printed.contains("0123456789"), "{printed}");

    fn assert_traits<T: Clone + Send + Sync>() {}
    assert_traits::<ClaimKey>();
    assert_traits::<SealedClaim>();
}

/// Checks one edited payload: it is not a claim, or it re-validates to nothing.
fn refused(bytes: &[u8]) -> Result<(), TestCaseError> {
    let Ok(claim) = serde_json::from_slice::<SealedClaim>(bytes) else {
        return Ok(());
    };
    let result = revalidate(&claim);
    prop_assert!(
        matches!(result, Err(ClaimError::Tampered)),
        "{} re-validated to {:?}",
        String::from_utf8_lossy(bytes),
        result
    );
    Ok(())
}

#[test]
fn flipping_any_bit_of_the_payload_never_yields_a_context() {
    let payload = serde_json::to_vec(&sealed_json()).unwrap();
    assert!(revalidate(&serde_json::from_slice(&payload).unwrap()).is_ok());
    for i in 0..payload.len() {
        for bit in 0..8 {
            let mut flipped = payload.clone();
            flipped[i] ^= 1 << bit;
            refused(&flipped).unwrap();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn changing_any_byte_of_the_payload_never_yields_a_context(
        position in any::<prop::sample::Index>(),
        mask in 1u8..=255,
    ) {
        let mut payload = serde_json::to_vec(&sealed_json()).unwrap();
        let i = position.index(payload.len());
        payload[i] ^= mask;
        refused(&payload)?;
    }
}
