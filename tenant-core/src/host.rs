//! Strict parsing of the request's host, modelled on Django's `validate_host`.
//!
//! A host name decides which tenant a request acts for, and it is attacker-controlled
//! text, so it is parsed strictly and either normalised or refused: there is no
//! "best effort" reading that could turn `acme.example.com.evil.com` or
//! `acme．example.com` into a tenant.

use std::net::{Ipv4Addr, Ipv6Addr};

use http::header::{HeaderName, HOST};
use http::request::Parts;
use http::{HeaderValue, Version};
use serde::{Deserialize, Serialize};

/// The longest host name accepted, without the port and the trailing dot (RFC 1035).
pub const MAX_HOST_LEN: usize = 253;
/// The longest label (the text between two dots) accepted (RFC 1035).
pub const MAX_LABEL_LEN: usize = 63;

/// A validated, normalised host: lowercase, without its port and one trailing dot.
///
/// ```
/// use tenant_core::Host;
///
/// let host = Host::parse("ACME.Example.com.:8080").unwrap();
/// assert_eq!(host.name(), "acme.example.com");
/// assert_eq!(host.port(), Some(8080));
/// assert!(Host::parse("example.com@evil.tld").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    name: String,
    port: Option<u16>,
    ip: bool,
}

/// Why a request has no usable host. Every variant is a malformed request (HTTP 400).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HostError {
    /// The request carries no host at all.
    #[error("the request has no host")]
    Missing,
    /// The host header appears more than once, so which one counts is ambiguous.
    #[error("the host header appears more than once")]
    Duplicated,
    /// The `Host` header and the request target's authority name two hosts.
    #[error("the host header and the request target name different hosts")]
    Conflicting,
    /// The host is empty.
    #[error("the host is empty")]
    Empty,
    /// The host holds a byte outside ASCII (an IDN look-alike or a fullwidth dot).
    #[error("the host is not ASCII")]
    NonAscii,
    /// The host carries userinfo (`user@host`).
    #[error("the host carries userinfo")]
    Userinfo,
    /// The host holds a percent-escape.
    #[error("the host is percent-encoded")]
    PercentEncoded,
    /// The host holds a character that no host name holds.
    #[error("the host holds an invalid character")]
    InvalidCharacter,
    /// The port is empty, not a number, or not in `1..=65535`.
    #[error("the port is not a number in 1..=65535")]
    InvalidPort,
    /// Two dots in a row, or a leading dot.
    #[error("the host has an empty label")]
    EmptyLabel,
    /// A label is longer than 63 characters.
    #[error("a host label is longer than 63 characters")]
    LabelTooLong,
    /// The host is longer than 253 characters.
    #[error("the host is longer than 253 characters")]
    TooLong,
    /// A label starts or ends with `-`.
    #[error("a host label starts or ends with `-`")]
    InvalidLabel,
    /// A bracketed IPv6 literal that does not parse.
    #[error("the host is an invalid IPv6 literal")]
    InvalidIpLiteral,
    /// A trusted `X-Forwarded-Host` or `Forwarded` header that does not parse.
    #[error("the forwarded host header is malformed")]
    MalformedForwarded,
}

impl Host {
    /// Parses one host value (`name[:port]` or `[ipv6][:port]`), normalising case,
    /// one trailing dot and the port.
    pub fn parse(raw: &str) -> Result<Self, HostError> {
        if raw.is_empty() {
            return Err(HostError::Empty);
        }
        // The checks for specific bytes come first so that the error names the attack
        // (userinfo, percent-encoding) rather than a generic bad character.
        if !raw.is_ascii() {
            return Err(HostError::NonAscii);
        }
        if raw.contains('@') {
            return Err(HostError::Userinfo);
        }
        if raw.contains('%') {
            return Err(HostError::PercentEncoded);
        }
        if let Some(rest) = raw.strip_prefix('[') {
            return Self::parse_ipv6(rest);
        }
        let (name, port) = match raw.rsplit_once(':') {
            Some((name, port)) => (name, Some(parse_port(port)?)),
            None => (raw, None),
        };
        if !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        {
            return Err(HostError::InvalidCharacter);
        }
        let lower = name.to_ascii_lowercase();
        // Exactly one trailing dot is the fully-qualified spelling of the same name;
        // a second one is an empty label and is refused below.
        let name = lower.strip_suffix('.').unwrap_or(&lower);
        if name.is_empty() {
            return Err(HostError::Empty);
        }
        if name.len() > MAX_HOST_LEN {
            return Err(HostError::TooLong);
        }
        for label in name.split('.') {
            if label.is_empty() {
                return Err(HostError::EmptyLabel);
            }
            if label.len() > MAX_LABEL_LEN {
                return Err(HostError::LabelTooLong);
            }
            if label.starts_with('-') || label.ends_with('-') {
                return Err(HostError::InvalidLabel);
            }
        }
        // No top-level domain starts with a digit, so a name whose last label does is
        // an IPv4 address in one of its spellings (`127.0.0.1`, `2130706433`, `0x7f.1`).
        let last = name.rsplit('.').next().unwrap_or(name);
        let ip = name.parse::<Ipv4Addr>().is_ok() || last.starts_with(|c: char| c.is_ascii_digit());
        Ok(Self {
            name: name.to_owned(),
            port,
            ip,
        })
    }

    fn parse_ipv6(rest: &str) -> Result<Self, HostError> {
        let (inner, after) = rest.split_once(']').ok_or(HostError::InvalidIpLiteral)?;
        let port = match after {
            "" => None,
            _ => Some(parse_port(
                after.strip_prefix(':').ok_or(HostError::InvalidCharacter)?,
            )?),
        };
        let addr: Ipv6Addr = inner.parse().map_err(|_| HostError::InvalidIpLiteral)?;
        Ok(Self {
            name: format!("[{addr}]"),
            port,
            ip: true,
        })
    }

    /// The normalised name: lowercase, no port, no trailing dot (`[::1]` for IPv6).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The port, if the host named one.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// Whether the host is an IP address rather than a domain name; such a host never
    /// names a tenant.
    pub fn is_ip(&self) -> bool {
        self.ip
    }
}

fn parse_port(port: &str) -> Result<u16, HostError> {
    // `u16::from_str` accepts a leading `+`, which no port has; and a length cap keeps
    // a long run of digits from being read at all.
    if port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(HostError::InvalidPort);
    }
    match port.parse::<u16>() {
        Ok(0) | Err(_) => Err(HostError::InvalidPort),
        Ok(port) => Ok(port),
    }
}

/// Where the host of a request is read from.
///
/// The default, [`HostSource::Host`], reads the `Host` header (or the HTTP/2
/// `:authority`). The two forwarded sources are only correct behind a reverse proxy
/// that sets them on every request: read from a request that did not pass through
/// the proxy, they are whatever the client wrote.
///
/// When a forwarded header holds a comma-separated list (or appears several times,
/// which HTTP defines as the same list), the **rightmost** entry is used: each proxy
/// appends its own entry, so the last one was written by the proxy next to us (the
/// trusted one), and every entry to its left may have come from the client. An empty
/// entry, an unterminated quote, or a missing `host=` in the rightmost `Forwarded`
/// element make the request malformed; there is no fall back to `Host`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HostSource {
    /// The `Host` header (HTTP/1) or `:authority` (HTTP/2). Forwarded headers are ignored.
    #[default]
    Host,
    /// The rightmost entry of `X-Forwarded-Host`, set by a trusted proxy.
    XForwardedHost,
    /// The `host=` parameter of the rightmost element of `Forwarded` (RFC 7239), set by
    /// a trusted proxy.
    Forwarded,
}

/// Reads and validates the host of a request from `source`.
///
/// A missing host or a host header given twice is malformed. With
/// [`HostSource::Host`], a request whose target carries an authority
/// (`GET http://evil.com/ HTTP/1.1`) that differs from its `Host` header is malformed
/// too, so the two can never be played against each other.
pub fn request_host(parts: &Parts, source: HostSource) -> Result<Host, HostError> {
    match source {
        HostSource::Host => host_header(parts),
        HostSource::XForwardedHost => {
            let list = forwarded_list(parts, &HeaderName::from_static("x-forwarded-host"))?;
            let last = split_list(&list, b',')?.pop().ok_or(HostError::Missing)?;
            Host::parse(last)
        }
        HostSource::Forwarded => {
            let list = forwarded_list(parts, &http::header::FORWARDED)?;
            let last = split_list(&list, b',')?.pop().ok_or(HostError::Missing)?;
            Host::parse(&forwarded_host_param(last)?)
        }
    }
}

fn host_header(parts: &Parts) -> Result<Host, HostError> {
    let mut values = parts.headers.get_all(HOST).iter();
    let header = values.next();
    if values.next().is_some() {
        return Err(HostError::Duplicated);
    }
    let header = header
        .map(header_str)
        .transpose()?
        .map(Host::parse)
        .transpose()?;
    let authority = parts
        .uri
        .authority()
        .map(|a| Host::parse(a.as_str()))
        .transpose()?;
    match (header, authority) {
        (Some(header), Some(authority)) if header == authority => Ok(header),
        (Some(_), Some(_)) => Err(HostError::Conflicting),
        (Some(header), None) => Ok(header),
        // HTTP/2 and later carry the host as `:authority`, which the `http` crate keeps
        // in the URI; an HTTP/1 request without `Host` is malformed (RFC 9112 §3.2).
        (None, Some(authority)) if parts.version >= Version::HTTP_2 => Ok(authority),
        (None, _) => Err(HostError::Missing),
    }
}

fn header_str(value: &HeaderValue) -> Result<&str, HostError> {
    value.to_str().map_err(|_| HostError::NonAscii)
}

/// All values of `name`, joined into one comma list (RFC 9110 §5.3).
fn forwarded_list(parts: &Parts, name: &HeaderName) -> Result<String, HostError> {
    let mut list = String::new();
    for value in parts.headers.get_all(name) {
        if !list.is_empty() {
            list.push(',');
        }
        list.push_str(header_str(value)?);
    }
    if list.is_empty() {
        return Err(HostError::Missing);
    }
    Ok(list)
}

/// Splits on `sep` outside double quotes and trims optional whitespace. Empty entries
/// and unterminated quotes are malformed rather than skipped: a list we cannot read
/// exactly is not one we can trust the last entry of.
fn split_list(list: &str, sep: u8) -> Result<Vec<&str>, HostError> {
    let mut entries = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, b) in list.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\\' if quoted => return Err(HostError::MalformedForwarded),
            _ if b == sep && !quoted => {
                entries.push(&list[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if quoted {
        return Err(HostError::MalformedForwarded);
    }
    entries.push(&list[start..]);
    entries
        .into_iter()
        .map(|e| e.trim_matches([' ', '\t']))
        .map(|e| {
            if e.is_empty() {
                Err(HostError::MalformedForwarded)
            } else {
                Ok(e)
            }
        })
        .collect()
}

fn forwarded_host_param(element: &str) -> Result<String, HostError> {
    let mut host = None;
    for pair in split_list(element, b';')? {
        let (name, value) = pair.split_once('=').ok_or(HostError::MalformedForwarded)?;
        if !name.trim_matches([' ', '\t']).eq_ignore_ascii_case("host") {
            continue;
        }
        if host.is_some() {
            return Err(HostError::MalformedForwarded);
        }
        let value = value.trim_matches([' ', '\t']);
        let value = match value.strip_prefix('"') {
            Some(quoted) => quoted
                .strip_suffix('"')
                .ok_or(HostError::MalformedForwarded)?,
            None => value,
        };
        if value.contains('"') {
            return Err(HostError::MalformedForwarded);
        }
        host = Some(value.to_owned());
    }
    host.ok_or(HostError::MalformedForwarded)
}
