//! Tenant-keyed stores on both backends: in memory, and on a real Redis server
//! that the tests start themselves.

mod memory {
    use tenant_diesel::store::MemoryStore;

    tenant_diesel_tests::store_suite!(MemoryStore::new());
}

/// The same suite with the store chosen at run time, behind
/// `Arc<dyn KeyValueStore>`: what an application that reads `REDIS_URL` holds.
mod chosen_at_run_time {
    use std::sync::Arc;

    use tenant_diesel::store::{KeyValueStore, MemoryStore};
    use tenant_diesel_tests::redis::RedisServer;

    fn open(redis: bool) -> Arc<dyn KeyValueStore> {
        if redis {
            Arc::new(RedisServer::shared().fresh_store())
        } else {
            Arc::new(MemoryStore::new())
        }
    }

    mod memory {
        tenant_diesel_tests::store_suite!(super::open(false));
    }

    mod redis {
        tenant_diesel_tests::store_suite!(super::open(true));
    }
}

mod redis {
    use std::cell::Cell;

    use tenant_diesel::store::{KeyValueStore, StoreError};
    use tenant_diesel::{ActorId, Presence, TenantCache};
    use tenant_diesel_tests::redis::RedisServer;
    use tenant_diesel_tests::{ctx, ACME, CONTOSO};

    tenant_diesel_tests::store_suite!(RedisServer::shared().fresh_store());

    /// Redis stops midway: every operation is an error. Never another tenant's
    /// value, and never an empty answer that the cache would fill.
    #[test]
    fn a_stopped_server_is_an_error_never_an_empty_answer() {
        let server = RedisServer::dedicated();
        let store = server.fresh_store();
        let (acme, contoso) = (ctx(ACME), ctx(CONTOSO));
        let cache: TenantCache<String, _> = TenantCache::with_store(&store);
        let presence = Presence::with_store(&store);
        cache
            .set(acme.cache_key("dashboard_summary"), &"acme's".to_string())
            .unwrap();
        cache
            .set(
                contoso.cache_key("dashboard_summary"),
                &"contoso's".to_string(),
            )
            .unwrap();
        presence
            .join(acme.presence_key("doc/42"), &ActorId::new("alice"))
            .unwrap();
        assert_eq!(
            cache
                .get(acme.cache_key("dashboard_summary"))
                .unwrap()
                .as_deref(),
            Some("acme's")
        );

        server.kill();

        let backend_error = |e: &StoreError| matches!(e, StoreError::Backend(_));
        let got = cache.get(acme.cache_key("dashboard_summary"));
        assert!(got.as_ref().is_err_and(backend_error), "{got:?}");
        let computed = Cell::new(false);
        let filled = cache.get_or_compute(contoso.cache_key("dashboard_summary"), None, || {
            computed.set(true);
            "recomputed".to_string()
        });
        assert!(filled.as_ref().is_err_and(backend_error), "{filled:?}");
        assert!(
            !computed.get(),
            "nothing is computed when the store cannot answer"
        );
        let listed = presence.list(acme.presence_key("doc/42"));
        assert!(listed.as_ref().is_err_and(backend_error), "{listed:?}");
        assert!(store.get(acme.state_key("s-1", "cart")).is_err());
        assert!(store
            .set(acme.state_key("s-1", "cart"), b"x", None)
            .is_err());
        assert!(store.delete(acme.cache_key("dashboard_summary")).is_err());
        assert!(store.ttl(acme.cache_key("dashboard_summary")).is_err());
        assert!(store.clear_tenant(&acme).is_err());
        let message = got.unwrap_err().to_string();
        assert!(message.starts_with("the store did not answer"), "{message}");
    }
}
