//! The session cookie on the wire: its name and attributes, and reading it back
//! from a request.
//!
//! With `SECURE_COOKIES=1` the cookie is `__Host-dashboard_session`, `Secure`:
//! a browser keeps a `__Host-` cookie only if it is `Secure`, `Path=/` and has
//! no `Domain`, so neither a sibling subdomain nor a plain-HTTP page can set or
//! overwrite it. Browsers refuse `Secure` cookies from plain HTTP except on
//! `localhost`, so the setting is off by default: the demo (and its browser
//! test) serve plain HTTP, and the cookie is then `dashboard_session`, without
//! `Secure`. Either way it is host-only (no `Domain`), `HttpOnly` and
//! `SameSite=Lax`.

use std::time::Duration;

use axum::http::{header, HeaderMap, HeaderValue};

/// The cookie's name over plain HTTP.
pub const PLAIN_NAME: &str = "dashboard_session";

/// The cookie's name with `SECURE_COOKIES=1`.
pub const HOST_NAME: &str = "__Host-dashboard_session";

/// How the session cookie is named and flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionCookie {
    secure: bool,
}

/// What a request sent under the session cookie's name.
#[derive(Debug, PartialEq, Eq)]
pub enum Sent {
    /// No session cookie.
    Absent,
    /// One session cookie, with this value.
    Once(String),
    /// The name more than once, in one `Cookie` header or several.
    Duplicated,
}

impl SessionCookie {
    /// `__Host-dashboard_session`, `Secure`, when `secure`; else
    /// `dashboard_session`.
    pub fn new(secure: bool) -> Self {
        Self { secure }
    }

    /// The cookie's name.
    pub fn name(&self) -> &'static str {
        if self.secure {
            HOST_NAME
        } else {
            PLAIN_NAME
        }
    }

    fn attributes(&self) -> &'static str {
        if self.secure {
            "Path=/; Secure; HttpOnly; SameSite=Lax"
        } else {
            "Path=/; HttpOnly; SameSite=Lax"
        }
    }

    /// The `Set-Cookie` value that sets the cookie to `value` for `max_age`.
    /// `value` is the session's id and tag, hexadecimal and a dot.
    pub fn set(&self, value: &str, max_age: Duration) -> HeaderValue {
        HeaderValue::from_str(&format!(
            "{}={value}; {}; Max-Age={}",
            self.name(),
            self.attributes(),
            max_age.as_secs()
        ))
        .expect("hex and ASCII make a valid header")
    }

    /// The `Set-Cookie` value that removes the cookie.
    pub fn clear(&self) -> HeaderValue {
        HeaderValue::from_str(&format!(
            "{}=; {}; Max-Age=0",
            self.name(),
            self.attributes()
        ))
        .expect("ASCII makes a valid header")
    }

    /// The session cookie the request sends. Read as bytes, so that a header
    /// that is not text cannot hide a second copy; a cookie under the other
    /// setting's name is not this one.
    pub fn read(&self, headers: &HeaderMap) -> Sent {
        let name = self.name().as_bytes();
        let mut values = headers
            .get_all(header::COOKIE)
            .iter()
            .flat_map(|v| v.as_bytes().split(|b| *b == b';'))
            .filter_map(|pair| {
                let pair = pair.trim_ascii();
                let eq = pair.iter().position(|b| *b == b'=')?;
                Some((pair[..eq].trim_ascii(), &pair[eq + 1..]))
            })
            .filter(|(sent, _)| *sent == name)
            .map(|(_, value)| value);
        match (values.next(), values.next()) {
            (None, _) => Sent::Absent,
            (Some(value), None) => {
                Sent::Once(String::from_utf8_lossy(value.trim_ascii()).into_owned())
            }
            (Some(_), Some(_)) => Sent::Duplicated,
        }
    }
}
