use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use redis::{Client, Connection, RedisError};

use super::{ttl_millis, Expiry, KeyValueStore, StoreError, TenantToClear};
use crate::key::{tenant_prefix, TenantKey};

/// How long a command may wait for Redis before it is an error: a server that
/// hangs must not hang the request that asked it.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);

/// How many keys one `SCAN` step of [`clear_tenant`](KeyValueStore::clear_tenant)
/// asks for.
const SCAN_BATCH: usize = 500;

/// A store on a Redis server (feature `redis`), keyed by the encoded [`TenantKey`].
///
/// ```no_run
/// use tenant_core::store::RedisStore;
///
/// let store = RedisStore::open("redis://127.0.0.1:6379/0")?;
/// # Ok::<(), tenant_core::store::StoreError>(())
/// ```
///
/// One connection, opened on first use and reopened after an error; commands
/// wait at most two seconds by default. Any failure is a
/// [`StoreError::Backend`], never an empty answer.
///
/// [`TenantKey`]: crate::TenantKey
pub struct RedisStore {
    client: Client,
    timeout: Duration,
    conn: Mutex<Option<Connection>>,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("server", &self.client.get_connection_info().addr())
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// A store on the server at `url` (`redis://host:port/db`,
    /// `redis+unix:///path/to/redis.sock?db=0`). Connects on first use.
    pub fn open(url: &str) -> Result<Self, StoreError> {
        Ok(Self {
            client: Client::open(url).map_err(backend)?,
            timeout: DEFAULT_TIMEOUT,
            conn: Mutex::new(None),
        })
    }

    /// How long a command may wait for the server (two seconds by default).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Runs `command` on the connection, opening it first if needed. After any
    /// error the connection is dropped, so the next command starts clean rather
    /// than reading a reply meant for this one.
    fn with_conn<T>(
        &self,
        command: impl FnOnce(&mut Connection) -> Result<T, RedisError>,
    ) -> Result<T, RedisError> {
        let mut slot = self.lock();
        if slot.is_none() {
            let conn = self.client.get_connection_with_timeout(self.timeout)?;
            conn.set_read_timeout(Some(self.timeout))?;
            conn.set_write_timeout(Some(self.timeout))?;
            *slot = Some(conn);
        }
        let result = command(slot.as_mut().expect("opened above"));
        if result.is_err() {
            *slot = None;
        }
        result
    }

    fn lock(&self) -> MutexGuard<'_, Option<Connection>> {
        // The slot holds a whole connection or none; a panic cannot half-write it.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn backend(e: RedisError) -> StoreError {
    StoreError::Backend(Box::new(e))
}

/// Maps a failure on `key`: a type clash is the caller's, anything else the server's.
fn failed(key: &str) -> impl FnOnce(RedisError) -> StoreError + '_ {
    move |e| {
        if e.code() == Some("WRONGTYPE") {
            StoreError::WrongType(key.to_owned())
        } else {
            backend(e)
        }
    }
}

impl KeyValueStore for RedisStore {
    fn get_at(&self, key: &TenantKey) -> Result<Option<Vec<u8>>, StoreError> {
        let key = key.as_str();
        self.with_conn(|c| redis::cmd("GET").arg(key).query(c))
            .map_err(failed(key))
    }

    fn set_at(
        &self,
        key: &TenantKey,
        value: &[u8],
        ttl: Option<Duration>,
    ) -> Result<(), StoreError> {
        let key = key.as_str();
        let mut cmd = redis::cmd("SET");
        cmd.arg(key).arg(value);
        if let Some(ttl) = ttl {
            cmd.arg("PX").arg(ttl_millis(ttl));
        }
        self.with_conn(|c| cmd.query::<()>(c)).map_err(failed(key))
    }

    fn delete_at(&self, key: &TenantKey) -> Result<bool, StoreError> {
        let key = key.as_str();
        self.with_conn(|c| redis::cmd("DEL").arg(key).query::<u64>(c))
            .map(|n| n > 0)
            .map_err(failed(key))
    }

    fn ttl_at(&self, key: &TenantKey) -> Result<Expiry, StoreError> {
        let key = key.as_str();
        let millis: i64 = self
            .with_conn(|c| redis::cmd("PTTL").arg(key).query(c))
            .map_err(failed(key))?;
        // PTTL answers -2 for no key and -1 for a key without expiry.
        Ok(match millis {
            -2 => Expiry::Missing,
            -1 => Expiry::Never,
            ms => Expiry::In(Duration::from_millis(ms.max(0).unsigned_abs())),
        })
    }

    fn add_member_at(&self, key: &TenantKey, member: &str) -> Result<bool, StoreError> {
        let key = key.as_str();
        self.with_conn(|c| redis::cmd("SADD").arg(key).arg(member).query::<u64>(c))
            .map(|n| n > 0)
            .map_err(failed(key))
    }

    fn remove_member_at(&self, key: &TenantKey, member: &str) -> Result<bool, StoreError> {
        let key = key.as_str();
        self.with_conn(|c| redis::cmd("SREM").arg(key).arg(member).query::<u64>(c))
            .map(|n| n > 0)
            .map_err(failed(key))
    }

    fn members_at(&self, key: &TenantKey) -> Result<Vec<String>, StoreError> {
        let key = key.as_str();
        let mut members: Vec<String> = self
            .with_conn(|c| redis::cmd("SMEMBERS").arg(key).query(c))
            .map_err(failed(key))?;
        members.sort();
        Ok(members)
    }

    fn clear_tenant_keys(&self, tenant: TenantToClear) -> Result<u64, StoreError> {
        // `tenant/<id>/` starts every key of this tenant and no other tenant's (see
        // `TenantKey`), and holds no glob character, so the pattern is exact.
        // Never FLUSHDB: the database holds the other tenants' keys.
        let pattern = format!("{}*", tenant_prefix(tenant.tenant_id()));
        self.with_conn(|c| {
            let mut cursor: u64 = 0;
            let mut removed = 0;
            loop {
                let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
                    .arg(cursor)
                    .arg("MATCH")
                    .arg(&pattern)
                    .arg("COUNT")
                    .arg(SCAN_BATCH)
                    .query(c)?;
                if !keys.is_empty() {
                    removed += redis::cmd("UNLINK").arg(&keys).query::<u64>(c)?;
                }
                if next == 0 {
                    return Ok(removed);
                }
                cursor = next;
            }
        })
        .map_err(backend)
    }
}
