//! The dashboard over HTTP on SQLite (the default): a real server on a random
//! loopback port per test, the tenant named by the `Host` header. The same suite
//! runs with the cache and session state on Redis.

mod common;

use common::{config, Harness};
use dashboard::config::Database;

async fn sqlite() -> Harness {
    Harness::start(config(Database::DemoSqlite, None)).await
}

http_suite!(sqlite);

mod on_redis {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::common;
    use super::common::{config, Harness};
    use crate::http_suite;
    use dashboard::config::Database;
    use tenant_diesel_tests::redis::RedisServer;

    /// SQLite for the rows, a real `redis-server` (started by the test harness, on
    /// a unix socket) for the summary cache and the session state; one Redis
    /// database per test.
    async fn sqlite_and_redis() -> Harness {
        static NEXT_DB: AtomicU32 = AtomicU32::new(1);
        let url = RedisServer::shared().url(NEXT_DB.fetch_add(1, Ordering::Relaxed));
        let harness = Harness::start(config(Database::DemoSqlite, Some(url))).await;
        assert_eq!(harness.server.app.store_kind, "redis");
        harness
    }

    http_suite!(sqlite_and_redis);
}
