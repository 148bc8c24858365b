//! A real Redis server for the tests, started by the tests themselves: a
//! temporary directory, a unix socket inside it (no TCP port at all), no
//! persistence, and a watchdog that stops it and removes the directory when the
//! test process ends.
//!
//! One shared server per test binary, where each test takes a database number of
//! its own (so one test's `clear_tenant` cannot touch another's keys), and
//! dedicated servers for tests that stop theirs midway.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use tenant_diesel::store::RedisStore;

use crate::process::{self, RunDir};

/// How many databases a server has: one per test that asks for a fresh store.
const DATABASES: u32 = 1024;

/// A running `redis-server`.
#[derive(Debug)]
pub struct RedisServer {
    dir: PathBuf,
    next_db: AtomicU32,
}

impl RedisServer {
    /// The server of this test process, started on first use.
    ///
    /// Panics with the reason when Redis cannot be started: a missing server
    /// fails the tests, it never skips them (and under `CI=true` it fails the run).
    pub fn shared() -> &'static RedisServer {
        static SERVER: OnceLock<Result<RedisServer, String>> = OnceLock::new();
        match SERVER.get_or_init(RedisServer::start) {
            Ok(server) => server,
            Err(reason) => fail(reason),
        }
    }

    /// A server for this test alone, which it may stop.
    pub fn dedicated() -> RedisServer {
        RedisServer::start().unwrap_or_else(|reason| fail(&reason))
    }

    fn start() -> Result<RedisServer, String> {
        let binary = std::env::var("REDIS_SERVER").unwrap_or_else(|_| "redis-server".into());
        match Command::new(&binary).arg("--version").output() {
            Ok(out) if out.status.success() => {}
            Ok(out) => {
                return Err(format!(
                    "`{binary} --version` failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                ))
            }
            Err(e) => return Err(format!("cannot run `{binary}`: {e}")),
        }
        let dir = RunDir::create("tenant-diesel-redis-")
            .map_err(|e| format!("cannot make a temporary directory: {e}"))?
            .keep();
        // The watchdog shell is the server's parent and outlives it: a server
        // that dies early stays a zombie until the shell reaps it, so the final
        // `kill` can never hit a reused pid. `redis.pid` holds the server's pid
        // and start time, for `kill` and for the sweep of a later run.
        let script = format!(
            "'{binary}' --port 0 --unixsocket {dir}/redis.sock --unixsocketperm 700 \
               --save '' --appendonly no --databases {DATABASES} --dir {dir} \
               --logfile {dir}/redis.log --daemonize no & \
             rpid=$!; echo \"$rpid $({start_of})\" > {dir}/redis.pid.new; \
             mv {dir}/redis.pid.new {dir}/redis.pid; {watch}",
            dir = dir.display(),
            start_of = process::start_time_of("$rpid"),
            watch = process::after_this_process(&format!(
                "kill $rpid 2>/dev/null; wait $rpid; rm -rf {}",
                dir.display()
            )),
        );
        process::spawn_session_shell(&script)
            .map_err(|e| format!("cannot start redis-server and its watchdog: {e}"))?;
        let server = RedisServer {
            dir,
            next_db: AtomicU32::new(0),
        };
        server.wait_until_ready()?;
        Ok(server)
    }

    fn wait_until_ready(&self) -> Result<(), String> {
        // Bounded, and generous: a loaded machine may take seconds to start it.
        process::wait_until(Duration::from_secs(60), || {
            // The pid file too: `kill` reads it, and the shell writes it just
            // after starting the server.
            if !self.socket().exists() || !self.dir.join("redis.pid").exists() {
                return Err("no socket yet".to_owned());
            }
            let mut conn = redis::Client::open(self.url(0))
                .and_then(|c| c.get_connection())
                .map_err(|e| e.to_string())?;
            redis::cmd("PING")
                .query::<String>(&mut conn)
                .map_err(|e| e.to_string())
        })
        .map(drop)
        .map_err(|e| {
            let log = std::fs::read_to_string(self.dir.join("redis.log")).unwrap_or_default();
            format!("redis-server did not answer: {e}; its log:\n{log}")
        })
    }

    fn socket(&self) -> PathBuf {
        self.dir.join("redis.sock")
    }

    /// The URL of database `db` on this server.
    pub fn url(&self, db: u32) -> String {
        format!("redis+unix://{}?db={db}", self.socket().display())
    }

    /// A store on a database no other test of this process uses.
    pub fn fresh_store(&self) -> RedisStore {
        let db = self.next_db.fetch_add(1, Ordering::Relaxed);
        assert!(db < DATABASES, "more tests than databases: raise DATABASES");
        RedisStore::open(&self.url(db)).expect("a valid Redis URL")
    }

    /// Kills the server at once (SIGKILL: no goodbye to its clients).
    pub fn kill(&self) {
        let pid = std::fs::read_to_string(self.dir.join("redis.pid"))
            .expect("the server's pid file")
            .split_whitespace()
            .next()
            .expect("a pid")
            .to_owned();
        let status = Command::new("kill")
            .args(["-KILL", &pid])
            .status()
            .expect("run kill");
        assert!(status.success(), "cannot kill redis-server {pid}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.socket().exists() && Instant::now() < deadline {
            // A killed server leaves its socket file; what matters is that
            // nothing answers on it any more.
            if redis::Client::open(self.url(0))
                .and_then(|c| c.get_connection())
                .is_err()
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn fail(reason: &str) -> ! {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    panic!(
        "cannot start the test Redis server: {reason}\n\
         The Redis tests need `redis-server` on PATH (or REDIS_SERVER=/path/to/redis-server); \
         install it with `apt-get install redis-server` (scripts/install-deps.sh does, and .ci/run runs it).{}",
        if ci { "\nCI=true: a missing Redis fails the run." } else { "" }
    )
}
