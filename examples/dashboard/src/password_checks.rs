//! The login's password check, bounded and of one cost whoever asks.
//!
//! argon2 holds about 19 MiB while it checks a password. Without a bound, a burst
//! of logins for a known name (no account needed) ran one check per request at
//! once and took the server from 0.3 to 3.9 GB; and an unknown name, answered
//! before any check, told the names apart by time (2.8 ms against 34 ms). So:
//! - the checks run on the blocking pool, at most one per core at a time (a
//!   semaphore), the others waiting their turn;
//! - an unknown name is checked against a dummy hash, so it costs one check too.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordVerifier};
use argon2::Argon2;
use tokio::sync::Semaphore;

use crate::error::AppError;

/// The password checks of one server.
#[derive(Debug)]
pub struct PasswordChecks {
    permits: Semaphore,
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
        let running = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_at_once.fetch_max(running, Ordering::SeqCst);
        let verdict = tokio::task::spawn_blocking(move || verify(&password, &hash)).await;
        self.running.fetch_sub(1, Ordering::SeqCst);
        self.done.fetch_add(1, Ordering::SeqCst);
        let matches =
            verdict.map_err(|e| AppError::Startup(format!("a password check failed: {e}")))??;
        Ok(known && matches)
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

fn verify(password: &str, hash: &str) -> Result<bool, AppError> {
    let parsed = PasswordHash::new(hash)
        .map_err(|e| AppError::Startup(format!("stored hash is invalid: {e}")))?;
    Ok(Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok())
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
