//! Login throttling: failed attempts counted per account and per source, each
//! in a fixed window, so that guessing passwords, for one account from many
//! addresses or for many accounts from one, is slow.
//!
//! - An attempt is counted when it is let in, before its password check, and
//!   taken back when the password matched: a burst of concurrent guesses
//!   cannot all pass the check before the first of them is counted, and a
//!   successful login costs nothing.
//! - A throttled attempt is answered before any password check runs, so it
//!   costs no argon2 (and nothing is counted for it: a refused guess is no
//!   guess).
//! - An unknown name is counted like a known one, under the name submitted, so
//!   the answer does not tell whether an account exists.
//! - The account key is the SHA-256 of the submitted name, so a long name makes
//!   no longer key; the source key is the client's address, IPv6 addresses by
//!   their /64 (one subscriber's usual share of the address space).
//! - Each counter tracks at most a fixed number of keys: when it is full, the
//!   expired windows are dropped and, if it is still full, the oldest. A flood
//!   of distinct names cannot grow memory without limit; it can only make the
//!   counter forget its oldest windows, which the per-source limit slows down.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// How many keys each counter (accounts, sources) tracks at most.
pub const MAX_TRACKED: usize = 10_000;

/// How many failed attempts are allowed, and in what window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Failed attempts per account (submitted name) per window.
    pub per_account: u32,
    /// Failed attempts per source (client address) per window.
    pub per_source: u32,
    /// The window: it starts at a key's first counted attempt.
    pub window: Duration,
}

/// The login attempts of one server.
#[derive(Debug)]
pub struct LoginThrottle {
    // One lock for both counters: an attempt is checked against both, and
    // counted in both, at once.
    counters: Mutex<Counters>,
}

#[derive(Debug)]
struct Counters {
    accounts: Counter<[u8; 32]>,
    sources: Counter<IpAddr>,
}

/// An attempt refused: too many failures for its account or its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttled {
    /// How long until the window that refused it ends.
    pub retry_after: Duration,
}

impl Throttled {
    /// `retry_after` in whole seconds, rounded up, at least one: the value of a
    /// `Retry-After` header.
    pub fn retry_after_secs(&self) -> u64 {
        let secs = self.retry_after.as_secs();
        let rounded = if self.retry_after.subsec_nanos() > 0 {
            secs + 1
        } else {
            secs
        };
        rounded.max(1)
    }
}

/// An attempt let in, and counted as a failure unless it [`succeeded`](Self::succeeded).
#[must_use = "an attempt counts as failed unless it succeeded"]
pub struct Attempt<'a> {
    throttle: &'a LoginThrottle,
    account: [u8; 32],
    source: IpAddr,
    account_window: Instant,
    source_window: Instant,
}

impl Attempt<'_> {
    /// The password matched: the attempt is taken back from both counts.
    pub fn succeeded(self) {
        let mut counters = self.throttle.lock();
        counters
            .accounts
            .take_back(&self.account, self.account_window);
        counters.sources.take_back(&self.source, self.source_window);
    }
}

impl LoginThrottle {
    /// A throttle with `limits`, tracking at most [`MAX_TRACKED`] keys per counter.
    pub fn new(limits: Limits) -> Self {
        Self::with_capacity(limits, MAX_TRACKED)
    }

    /// A throttle tracking at most `capacity` keys (at least one) per counter.
    pub fn with_capacity(limits: Limits, capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self {
            counters: Mutex::new(Counters {
                accounts: Counter::new(limits.per_account, limits.window, capacity),
                sources: Counter::new(limits.per_source, limits.window, capacity),
            }),
        }
    }

    /// Lets an attempt from `source` for the name `username` in, counted, or
    /// refuses it, uncounted.
    pub fn admit(&self, source: IpAddr, username: &str) -> Result<Attempt<'_>, Throttled> {
        self.admit_at(Instant::now(), source, username)
    }

    fn admit_at(
        &self,
        now: Instant,
        source: IpAddr,
        username: &str,
    ) -> Result<Attempt<'_>, Throttled> {
        let account: [u8; 32] = Sha256::digest(username.as_bytes()).into();
        let source = tenant_diesel::client_key(source);
        let mut counters = self.lock();
        let wait = counters
            .accounts
            .wait(&account, now)
            .max(counters.sources.wait(&source, now));
        if let Some(retry_after) = wait {
            return Err(Throttled { retry_after });
        }
        let account_window = counters.accounts.count(&account, now);
        let source_window = counters.sources.count(&source, now);
        Ok(Attempt {
            throttle: self,
            account,
            source,
            account_window,
            source_window,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Counters> {
        // The counters stay consistent at every step: a panic elsewhere leaves
        // nothing half-done to refuse.
        self.counters.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many keys each counter tracks now (accounts, sources), for tests.
    pub fn tracked(&self) -> (usize, usize) {
        let counters = self.lock();
        (
            counters.accounts.windows.len(),
            counters.sources.windows.len(),
        )
    }
}

/// Attempts per key, in fixed windows, for at most `capacity` keys.
#[derive(Debug)]
struct Counter<K> {
    limit: u32,
    window: Duration,
    capacity: usize,
    windows: HashMap<K, Window>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    start: Instant,
    attempts: u32,
}

impl<K: Hash + Eq + Clone> Counter<K> {
    fn new(limit: u32, window: Duration, capacity: usize) -> Self {
        Self {
            limit,
            window,
            capacity,
            windows: HashMap::new(),
        }
    }

    fn is_live(&self, window: &Window, now: Instant) -> bool {
        now.saturating_duration_since(window.start) < self.window
    }

    /// How long `key` must wait, if its window is used up.
    fn wait(&self, key: &K, now: Instant) -> Option<Duration> {
        let window = self.windows.get(key)?;
        (self.is_live(window, now) && window.attempts >= self.limit)
            .then(|| self.window - now.saturating_duration_since(window.start))
    }

    /// Counts one attempt of `key`; the start of the window it counts in.
    fn count(&mut self, key: &K, now: Instant) -> Instant {
        if let Some(window) = self.windows.get(key).copied() {
            let window = if self.is_live(&window, now) {
                Window {
                    attempts: window.attempts.saturating_add(1),
                    ..window
                }
            } else {
                Window {
                    start: now,
                    attempts: 1,
                }
            };
            self.windows.insert(key.clone(), window);
            return window.start;
        }
        self.make_room(now);
        self.windows.insert(
            key.clone(),
            Window {
                start: now,
                attempts: 1,
            },
        );
        now
    }

    /// Takes back one attempt of `key` counted in the window that started at
    /// `start` (a window since restarted or forgotten is left alone).
    fn take_back(&mut self, key: &K, start: Instant) {
        if let Some(window) = self.windows.get_mut(key) {
            if window.start == start {
                window.attempts = window.attempts.saturating_sub(1);
            }
        }
    }

    /// Makes room for one more key: drops the expired windows when full, then
    /// the oldest if still full. Linear, but only when full, and a login
    /// attempt costs far more (argon2) than a pass over the map.
    fn make_room(&mut self, now: Instant) {
        if self.windows.len() < self.capacity {
            return;
        }
        let period = self.window;
        self.windows
            .retain(|_, window| now.saturating_duration_since(window.start) < period);
        while self.windows.len() >= self.capacity {
            let oldest = self
                .windows
                .iter()
                .min_by_key(|(_, window)| window.start)
                .map(|(key, _)| key.clone());
            match oldest {
                Some(key) => self.windows.remove(&key),
                None => break,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, Ipv6Addr};

    use super::*;

    const HOME: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

    fn limits(per_account: u32, per_source: u32) -> Limits {
        Limits {
            per_account,
            per_source,
            window: Duration::from_secs(60),
        }
    }

    #[test]
    fn an_account_is_throttled_after_its_limit_until_the_window_ends() {
        let throttle = LoginThrottle::new(limits(3, 100));
        let start = Instant::now();
        for _ in 0..3 {
            let _failed = throttle.admit_at(start, HOME, "alice").expect("admitted");
        }
        let later = start + Duration::from_secs(10);
        let refused = throttle
            .admit_at(later, HOME, "alice")
            .err()
            .expect("throttled");
        assert_eq!(refused.retry_after, Duration::from_secs(50));
        assert_eq!(refused.retry_after_secs(), 50);
        // Another account is not.
        let _other = throttle
            .admit_at(later, HOME, "bob")
            .expect("bob is admitted");
        // The window over, alice may try again.
        let after = start + Duration::from_secs(60);
        let _again = throttle
            .admit_at(after, HOME, "alice")
            .expect("a new window");
    }

    #[test]
    fn a_source_is_throttled_whatever_names_it_tries() {
        let throttle = LoginThrottle::new(limits(100, 2));
        let now = Instant::now();
        let _one = throttle.admit_at(now, HOME, "a").expect("admitted");
        let _two = throttle.admit_at(now, HOME, "b").expect("admitted");
        assert!(throttle.admit_at(now, HOME, "c").is_err());
        let elsewhere = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
        let _three = throttle
            .admit_at(now, elsewhere, "c")
            .expect("another source");
    }

    #[test]
    fn a_success_is_not_counted() {
        let throttle = LoginThrottle::new(limits(2, 2));
        let now = Instant::now();
        for _ in 0..10 {
            throttle
                .admit_at(now, HOME, "alice")
                .expect("admitted")
                .succeeded();
        }
        assert_eq!(throttle.tracked(), (1, 1));
    }

    #[test]
    fn ipv6_sources_count_by_their_64() {
        let one = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 1, 0, 0, 0, 1));
        let two = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 1, 0xffff, 1, 2, 3));
        let other = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 2, 0, 0, 0, 1));
        assert_eq!(
            tenant_diesel::client_key(one),
            tenant_diesel::client_key(two)
        );
        assert_ne!(
            tenant_diesel::client_key(one),
            tenant_diesel::client_key(other)
        );
        let mapped = IpAddr::V6(Ipv4Addr::LOCALHOST.to_ipv6_mapped());
        assert_eq!(tenant_diesel::client_key(mapped), HOME);
    }

    /// A flood of distinct names (and sources) keeps each counter at its
    /// capacity, and the newest windows are the ones kept.
    #[test]
    fn the_tracked_keys_are_bounded() {
        let throttle = LoginThrottle::with_capacity(limits(5, 5), 16);
        let start = Instant::now();
        for i in 0..10_000u32 {
            let now = start + Duration::from_millis(u64::from(i));
            let source = IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + i));
            let _failed = throttle
                .admit_at(now, source, &format!("nobody-{i}"))
                .expect("a new name from a new source is admitted");
            let (accounts, sources) = throttle.tracked();
            assert!(accounts <= 16 && sources <= 16, "{accounts} / {sources}");
        }
        assert_eq!(throttle.tracked(), (16, 16));
        // The newest name's window is still counted.
        let now = start + Duration::from_millis(10_000);
        for _ in 0..4 {
            let _failed = throttle
                .admit_at(now, HOME, "nobody-9999")
                .expect("admitted");
        }
        assert!(throttle.admit_at(now, HOME, "nobody-9999").is_err());
    }
}
