//! The store suite: what every `KeyValueStore` must do, run on the in-memory store
//! and on a real Redis (`tests/tests/stores.rs`).

use std::cell::Cell;
use std::time::Duration;

use tenant_diesel::store::{Expiry, KeyValueStore, StoreError};
use tenant_diesel::{ActorId, Presence, TenantCache};

use crate::{ctx, ACME, CONTOSO};

/// A tenant whose id starts with Acme's: `tenant/1/` must not match `tenant/11/`.
pub const ELEVEN: i64 = 11;

/// The same session id and field under two tenants are two values.
pub fn state_under_two_tenants_never_collides(store: &impl KeyValueStore) {
    let (acme, contoso) = (ctx(ACME), ctx(CONTOSO));
    store
        .set(acme.state_key("s-42", "cart"), b"acme cart", None)
        .unwrap();
    assert_eq!(store.get(contoso.state_key("s-42", "cart")).unwrap(), None);
    store
        .set(contoso.state_key("s-42", "cart"), b"contoso cart", None)
        .unwrap();
    assert_eq!(
        store
            .get(acme.state_key("s-42", "cart"))
            .unwrap()
            .as_deref(),
        Some(&b"acme cart"[..])
    );
    assert_eq!(
        store
            .get(contoso.state_key("s-42", "cart"))
            .unwrap()
            .as_deref(),
        Some(&b"contoso cart"[..])
    );
    // A field name that spells another key's parts reads nothing of it.
    assert_eq!(store.get(acme.state_key("s-42/4:cart", "")).unwrap(), None);
    assert!(store.delete(acme.state_key("s-42", "cart")).unwrap());
    assert!(!store.delete(acme.state_key("s-42", "cart")).unwrap());
    assert_eq!(
        store
            .get(contoso.state_key("s-42", "cart"))
            .unwrap()
            .as_deref(),
        Some(&b"contoso cart"[..])
    );
}

/// The same topic under two tenants never shows the other's members.
pub fn presence_never_shows_another_tenants_members<S: KeyValueStore>(store: S) {
    let (acme, contoso) = (ctx(ACME), ctx(CONTOSO));
    let presence = Presence::with_store(store);
    let (alice, bob, carol) = (
        ActorId::new("alice"),
        ActorId::new("bob"),
        ActorId::new("carol"),
    );
    assert!(presence.join(acme.presence_key("doc/42"), &alice).unwrap());
    assert!(!presence.join(acme.presence_key("doc/42"), &alice).unwrap());
    presence.join(acme.presence_key("doc/42"), &carol).unwrap();
    presence.join(contoso.presence_key("doc/42"), &bob).unwrap();
    assert_eq!(
        presence.list(acme.presence_key("doc/42")).unwrap(),
        [alice.clone(), carol.clone()]
    );
    assert_eq!(
        presence.list(contoso.presence_key("doc/42")).unwrap(),
        std::slice::from_ref(&bob)
    );
    assert!(presence.leave(acme.presence_key("doc/42"), &alice).unwrap());
    assert!(!presence
        .leave(contoso.presence_key("doc/42"), &alice)
        .unwrap());
    assert_eq!(presence.list(acme.presence_key("doc/42")).unwrap(), [carol]);
    assert_eq!(
        presence.list(contoso.presence_key("doc/42")).unwrap(),
        [bob]
    );
    assert!(presence
        .list(ctx(ELEVEN).presence_key("doc/42"))
        .unwrap()
        .is_empty());
}

/// `clear_tenant` for Acme removes Acme's cache, state and presence keys and
/// leaves Contoso's and tenant 11's alone.
pub fn clear_tenant_leaves_other_tenants_intact(store: &impl KeyValueStore) {
    let tenants = [ctx(ACME), ctx(CONTOSO), ctx(ELEVEN)];
    for tenant in &tenants {
        store
            .set(tenant.cache_key("dashboard_summary"), b"summary", None)
            .unwrap();
        store
            .set(
                tenant.state_key("s-1", "cart"),
                b"cart",
                Some(Duration::from_secs(60)),
            )
            .unwrap();
        store
            .add_member(tenant.presence_key("doc/1"), "alice")
            .unwrap();
    }
    assert_eq!(store.clear_tenant(&tenants[0]).unwrap(), 3);
    assert_eq!(
        store
            .get(tenants[0].cache_key("dashboard_summary"))
            .unwrap(),
        None
    );
    assert_eq!(
        store.get(tenants[0].state_key("s-1", "cart")).unwrap(),
        None
    );
    assert!(store
        .members(tenants[0].presence_key("doc/1"))
        .unwrap()
        .is_empty());
    for tenant in &tenants[1..] {
        assert!(store
            .get(tenant.cache_key("dashboard_summary"))
            .unwrap()
            .is_some());
        assert!(store
            .get(tenant.state_key("s-1", "cart"))
            .unwrap()
            .is_some());
        assert_eq!(
            store.members(tenant.presence_key("doc/1")).unwrap(),
            ["alice"]
        );
    }
    assert_eq!(store.clear_tenant(&tenants[0]).unwrap(), 0);
}

/// Keys expire after their TTL and report it; keys without one never do.
pub fn ttl_is_kept_and_expires(store: &impl KeyValueStore) {
    let acme = ctx(ACME);
    // Two keys with a TTL: one long enough to be read back on a loaded machine,
    // one short enough to expire while the test polls for it (bounded, never a
    // fixed sleep that a slow machine could outrun).
    let kept = acme.cache_key("kept");
    let short = acme.cache_key("short");
    let forever = acme.cache_key("forever");
    let hour = Duration::from_secs(3600);
    store.set(&kept, b"k", Some(hour)).unwrap();
    store
        .set(&short, b"x", Some(Duration::from_millis(100)))
        .unwrap();
    store.set(&forever, b"y", None).unwrap();
    match store.ttl(&kept).unwrap() {
        Expiry::In(left) => assert!(left <= hour && left > Duration::from_secs(3000), "{left:?}"),
        other => panic!("expected a TTL, got {other:?}"),
    }
    assert_eq!(store.ttl(&forever).unwrap(), Expiry::Never);
    assert_eq!(
        store.ttl(acme.cache_key("absent")).unwrap(),
        Expiry::Missing
    );
    crate::process::wait_until(Duration::from_secs(30), || {
        match (store.get(&short).unwrap(), store.ttl(&short).unwrap()) {
            (None, Expiry::Missing) => Ok(()),
            other => Err(format!("the short key is still there: {other:?}")),
        }
    })
    .expect("a key expires after its TTL");
    assert!(store.get(&kept).unwrap().is_some());
    assert!(store.get(&forever).unwrap().is_some());
}

/// The cache computes once per tenant and never hands one tenant's value to another.
pub fn the_cache_computes_per_tenant<S: KeyValueStore>(store: S) {
    let (acme, contoso) = (ctx(ACME), ctx(CONTOSO));
    let cache: TenantCache<String, S> = TenantCache::with_store(store);
    let computed = Cell::new(0);
    let compute = |who: &str| {
        computed.set(computed.get() + 1);
        format!("{who}'s summary")
    };
    let ttl = Some(Duration::from_secs(60));
    assert_eq!(
        cache
            .get_or_compute(acme.cache_key("dashboard_summary"), ttl, || compute("acme"))
            .unwrap(),
        "acme's summary"
    );
    assert_eq!(
        cache
            .get_or_compute(contoso.cache_key("dashboard_summary"), ttl, || compute(
                "contoso"
            ))
            .unwrap(),
        "contoso's summary"
    );
    assert_eq!(
        cache
            .get_or_compute(acme.cache_key("dashboard_summary"), ttl, || compute(
                "nobody"
            ))
            .unwrap(),
        "acme's summary"
    );
    assert_eq!(computed.get(), 2);
    // A failed computation caches nothing.
    let failed: Result<String, StoreError> =
        cache.try_get_or_compute(acme.cache_key("other"), None, || {
            Err(StoreError::WrongType("computation failed".into()))
        });
    assert!(failed.is_err());
    assert_eq!(cache.get(acme.cache_key("other")).unwrap(), None);
    assert!(cache.remove(acme.cache_key("dashboard_summary")).unwrap());
    assert_eq!(
        cache
            .get(contoso.cache_key("dashboard_summary"))
            .unwrap()
            .as_deref(),
        Some("contoso's summary")
    );
}

/// A value read where a member set is (or the reverse) is an error, not a miss.
pub fn a_key_of_the_other_type_is_an_error(store: &impl KeyValueStore) {
    let acme = ctx(ACME);
    store
        .add_member(acme.presence_key("doc/1"), "alice")
        .unwrap();
    store.set(acme.cache_key("v"), b"1", None).unwrap();
    assert!(matches!(
        store.get(acme.presence_key("doc/1")),
        Err(StoreError::WrongType(_))
    ));
    assert!(matches!(
        store.members(acme.cache_key("v")),
        Err(StoreError::WrongType(_))
    ));
}

/// The store suite on the store that `$make` builds afresh for each test.
#[macro_export]
macro_rules! store_suite {
    ($make:expr) => {
        #[test]
        fn state_under_two_tenants_never_collides() {
            $crate::stores::state_under_two_tenants_never_collides(&$make);
        }

        #[test]
        fn presence_never_shows_another_tenants_members() {
            $crate::stores::presence_never_shows_another_tenants_members($make);
        }

        #[test]
        fn clear_tenant_leaves_other_tenants_intact() {
            $crate::stores::clear_tenant_leaves_other_tenants_intact(&$make);
        }

        #[test]
        fn ttl_is_kept_and_expires() {
            $crate::stores::ttl_is_kept_and_expires(&$make);
        }

        #[test]
        fn the_cache_computes_per_tenant() {
            $crate::stores::the_cache_computes_per_tenant($make);
        }

        #[test]
        fn a_key_of_the_other_type_is_an_error() {
            $crate::stores::a_key_of_the_other_type_is_an_error(&$make);
        }
    };
}
