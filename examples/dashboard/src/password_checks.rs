//! The login's password check, bounded and of one cost whoever asks.
//!
//! argon2 holds about 19 MiB while it checks a password. Without a bound, a burst
//! of logins for a known name (no account needed) ran one check per request at
//! once and took the server from 0.3 to 3.9 GB; and an unknown name, answered
//! before any check, told the names apart by time (2.8 ms against 34 ms). So:
//! - the checks run on the blocking pool, at most one per core at a time (a
//!   semaphore), the others waiting their turn;
//! - each runs in one of as many argon2 work areas, made once and kept: argon2's
//!   own `verify_password` allocates its 19 MiB per check, and the allocator kept
//!   what threads freed (peak 510 MB after a 200-login burst even with the
//!   semaphore);
//! - an unknown name is checked against a dummy hash, so it costs one check too.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use argon2::password_hash::{Output, PasswordHash};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::Semaphore;

use crate::error::AppError;

/// The password checks of one server.
#[derive(Debug)]
pub struct PasswordChecks {
    permits: Semaphore,
    /// One argon2 work area per permit, made by the first check that needs it.
    work_areas: Mutex<Vec<Vec<Block>>>,
    bound: usize,
    done: AtomicUsize,
    running: AtomicUsize,
    most_at_once: AtomicUsize,
}

impl PasswordChecks {
    /// At most one check per core at a time.
    pub fn per_core() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self::at_most(cores)
    }

    /// At most `bound` checks at a time (at least one).
    pub fn at_most(bound: usize) -> Self {
        let bound = bound.max(1);
        Self {
            permits: Semaphore::new(bound),
            work_areas: Mutex::new((0..bound).map(|_| Vec::new()).collect()),
            bound,
            done: AtomicUsize::new(0),
            running: AtomicUsize::new(0),
            most_at_once: AtomicUsize::new(0),
        }
    }

    /// Whether `password` matches `stored` (an argon2 PHC string), or, for an
    /// unknown user (`None`), a check of the same cost that never matches.
    pub async fn check(&self, password: &str, stored: Option<&str>) -> Result<bool, AppError> {
        let (hash, known) = match stored {
            Some(hash) => (hash.to_owned(), true),
            None => (dummy_hash()?.to_owned(), false),
        };
        let password = password.to_owned();
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| AppError::Startup(format!("the password checks stopped: {e}")))?;
        // A permit holds one of as many work areas.
        let mut area = self.take_work_area();
        let running = Running::start(self);
        let verdict = tokio::task::spawn_blocking(move || {
            let matches = verify(&mut area, &password, &hash);
            (area, matches)
        })
        .await;
        drop(running);
        let (area, matches) =
            verdict.map_err(|e| AppError::Startup(format!("a password check failed: {e}")))?;
        self.return_work_area(area);
        Ok(known && matches?)
    }

    fn take_work_area(&self) -> Vec<Block> {
        let mut areas = self.work_areas.lock().unwrap_or_else(|e| e.into_inner());
        areas.pop().unwrap_or_default()
    }

    fn return_work_area(&self, area: Vec<Block>) {
        let mut areas = self.work_areas.lock().unwrap_or_else(|e| e.into_inner());
        areas.push(area);
    }

    /// The bound on checks at a time.
    pub fn bound(&self) -> usize {
        self.bound
    }

    /// How many checks ran, for tests.
    pub fn done(&self) -> usize {
        self.done.load(Ordering::SeqCst)
    }

    /// The most checks that ran at once, for tests.
    pub fn most_at_once(&self) -> usize {
        self.most_at_once.load(Ordering::SeqCst)
    }
}

/// One check running: counted while it lives, so that a request dropped
/// mid-check (a client gone) is counted out too.
struct Running<'a>(&'a PasswordChecks);

impl<'a> Running<'a> {
    fn start(checks: &'a PasswordChecks) -> Self {
        let running = checks.running.fetch_add(1, Ordering::SeqCst) + 1;
        checks.most_at_once.fetch_max(running, Ordering::SeqCst);
        Self(checks)
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::SeqCst);
        self.0.done.fetch_add(1, Ordering::SeqCst);
    }
}

/// Whether `password` matches `hash`, computed in `area` (grown to the hash's
/// memory cost once, then reused): what argon2's `verify_password` does, with
/// the work area of the caller's instead of a fresh one.
fn verify(area: &mut Vec<Block>, password: &str, hash: &str) -> Result<bool, AppError> {
    let invalid =
        |e: &dyn std::fmt::Display| AppError::Startup(format!("stored hash is invalid: {e}"));
    let parsed = PasswordHash::new(hash).map_err(|e| invalid(&e))?;
    let algorithm = Algorithm::try_from(parsed.algorithm).map_err(|e| invalid(&e))?;
    let version = match parsed.version {
        Some(version) => Version::try_from(version).map_err(|e| invalid(&e))?,
        None => Version::default(),
    };
    let params = Params::try_from(&parsed).map_err(|e| invalid(&e))?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Err(AppError::Startup(
            "stored hash has no salt or output".into(),
        ));
    };
    let mut salt_bytes = [0u8; 64];
    let salt = salt.decode_b64(&mut salt_bytes).map_err(|e| invalid(&e))?;
    area.resize(params.block_count(), Block::default());
    let mut out = vec![0u8; expected.len()];
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut area[..])
        .map_err(|e| invalid(&e))?;
    // `Output`'s equality is constant-time.
    Ok(Output::new(&out).map_err(|e| invalid(&e))? == expected)
}

/// The hash an unknown user's password is checked against: of a random
/// password, made once, with the parameters of every stored hash.
fn dummy_hash() -> Result<&'static str, AppError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(hash) = DUMMY.get() {
        return Ok(hash);
    }
    let mut secret = [0u8; 24];
    getrandom::fill(&mut secret).map_err(|e| AppError::Startup(format!("no randomness: {e}")))?;
    let password: String = secret.iter().map(|b| format!("{b:02x}")).collect();
    let hash = crate::auth::hash_password(&password)?;
    Ok(DUMMY.get_or_init(|| hash))
}
