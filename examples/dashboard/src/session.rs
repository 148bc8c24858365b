//! Login sessions: a cookie holding a random session id and its HMAC, and the
//! sessions themselves in a server-side map that expires them.
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

/// The session cookie's name.
pub const COOKIE: &str = "dashboard_session";

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
    /// restart logs everyone out, which a demo can afford).
    pub fn new(ttl: Duration) -> Self {
        Self {
            key: random(),
            ttl,
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
        HeaderValue::from_str(&format!(
            "{COOKIE}={session_id}.{tag}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
            self.ttl.as_secs()
        ))
        .expect("hex and ASCII make a valid header")
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
        let value = match cookie(headers) {
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

/// What a request sent under the session cookie's name.
enum Sent {
    /// No session cookie.
    Absent,
    /// One session cookie, with this value.
    Once(String),
    /// The name more than once, in one `Cookie` header or several.
    Duplicated,
}

/// The session cookie the request sends. Read as bytes, so that a header that
/// is not text cannot hide a second copy.
fn cookie(headers: &HeaderMap) -> Sent {
    let mut values = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .flat_map(|v| v.as_bytes().split(|b| *b == b';'))
        .filter_map(|pair| {
            let pair = pair.trim_ascii();
            let eq = pair.iter().position(|b| *b == b'=')?;
            Some((pair[..eq].trim_ascii(), &pair[eq + 1..]))
        })
        .filter(|(name, _)| *name == COOKIE.as_bytes())
        .map(|(_, value)| value);
    match (values.next(), values.next()) {
        (None, _) => Sent::Absent,
        (Some(value), None) => Sent::Once(String::from_utf8_lossy(value.trim_ascii()).into_owned()),
        (Some(_), Some(_)) => Sent::Duplicated,
    }
}

/// A `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("dashboard_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}
