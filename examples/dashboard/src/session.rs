//! Login sessions: a cookie holding a random session id and its HMAC, and the
//! sessions themselves in a server-side map that expires them. The cookie's name
//! and attributes are `crate::session_cookie`'s.
//!
//! The cookie is host-only (no `Domain`), so a login on `acme.localhost` is not
//! sent to `contoso.localhost`; and whoever replays it there still meets the
//! membership check, which is what decides.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderValue};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::auth::CurrentUser;
use crate::session_cookie::{Sent, SessionCookie};

/// What a request's cookie turned out to be.
#[derive(Debug)]
pub enum Lookup {
    /// A signed, live session.
    Valid(CurrentUser),
    /// No cookie, or a signed id the server does not know (logged out, restarted).
    Missing,
    /// A signed session that has expired.
    Expired,
    /// A cookie whose signature does not match.
    Forged,
    /// The session cookie sent more than once: refused like a forged one, since
    /// any choice between them may be the attacker's.
    Duplicated,
}

struct Entry {
    user: CurrentUser,
    expires: Instant,
}

/// The live sessions and the key that signs their cookies.
pub struct Sessions {
    key: [u8; 32],
    ttl: Duration,
    cookie: SessionCookie,
    live: Mutex<HashMap<String, Entry>>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        })
        .collect()
}

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // No randomness means no unguessable session ids: better not to serve.
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    bytes
}

impl Sessions {
    /// Sessions that last `ttl`, signed with a key made for this process (a
    /// restart logs everyone out, which a demo can afford), in `cookie`.
    pub fn new(ttl: Duration, cookie: SessionCookie) -> Self {
        Self {
            key: random(),
            ttl,
            cookie,
            live: Mutex::new(HashMap::new()),
        }
    }

    fn mac(&self, id: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(id.as_bytes());
        mac
    }

    /// Starts a session for the user and returns its `Set-Cookie` value.
    pub fn start(&self, id: i64, username: &str, is_staff: bool) -> HeaderValue {
        let session_id = hex(&random::<32>());
        let tag = hex(&self.mac(&session_id).finalize().into_bytes());
        let user = CurrentUser {
            id,
            username: username.to_owned(),
            is_staff,
            session_id: session_id.clone(),
        };
        let mut live = self.live.lock().expect("session map poisoned");
        let now = Instant::now();
        live.retain(|_, entry| entry.expires > now);
        live.insert(
            session_id.clone(),
            Entry {
                user,
                expires: now + self.ttl,
            },
        );
        self.cookie.set(&format!("{session_id}.{tag}"), self.ttl)
    }

    /// The cookie the sessions travel in.
    pub fn cookie(&self) -> SessionCookie {
        self.cookie
    }

    /// How long a session lasts.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Ends the session of `session_id`.
    pub fn end(&self, session_id: &str) {
        self.live
            .lock()
            .expect("session map poisoned")
            .remove(session_id);
    }

    /// Makes every live session expire now (for the expiry tests).
    pub fn expire_all(&self) {
        let now = Instant::now();
        for entry in self.live.lock().expect("session map poisoned").values_mut() {
            entry.expires = now;
        }
    }

    /// The session the request's cookie names.
    pub fn lookup(&self, headers: &HeaderMap) -> Lookup {
        let value = match self.cookie.read(headers) {
            Sent::Absent => return Lookup::Missing,
            // Never pick one: a sibling subdomain can set a cookie of the same
            // name for the whole domain (cookie tossing), and whichever came
            // first would swap the victim into the attacker's session.
            Sent::Duplicated => return Lookup::Duplicated,
            Sent::Once(value) => value,
        };
        let Some((session_id, tag)) = value.split_once('.') else {
            return Lookup::Forged;
        };
        let valid = unhex(tag).is_some_and(|tag| self.mac(session_id).verify_slice(&tag).is_ok());
        if !valid {
            return Lookup::Forged;
        }
        let mut live = self.live.lock().expect("session map poisoned");
        match live.get(session_id) {
            None => Lookup::Missing,
            Some(entry) if entry.expires <= Instant::now() => {
                live.remove(session_id);
                Lookup::Expired
            }
            Some(entry) => Lookup::Valid(entry.user.clone()),
        }
    }
}
