//! Host and path resolution never panic and never return a slug other than the
//! normalised label (the proptest `tenant-core/tests/prop_resolve.rs` checks the same).
//!
//! Input: the bytes up to the first `\n` are the `Host` header, the rest the path.
#![no_main]

use http::header::HOST;
use http::{HeaderValue, Request, Uri};
use libfuzzer_sys::fuzz_target;
use tenant_core::resolve::{Path, Resolve, Subdomain};
use tenant_core::{Host, HostSource};

/// An independent reading of "the normalised label": lowercase, strip a numeric
/// port, strip one trailing dot, strip `.example.com`.
fn expected_label(raw: &str) -> Option<String> {
    let lower = raw.to_ascii_lowercase();
    let name = match lower.rsplit_once(':') {
        Some((name, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => name,
        Some(_) => return None,
        None => &lower,
    };
    let name = name.strip_suffix('.').unwrap_or(name);
    name.strip_suffix(".example.com").map(str::to_owned)
}

fuzz_target!(|data: &[u8]| {
    let (host, path) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let subdomain = Subdomain::new("example.com").unwrap();

    if let Ok(text) = std::str::from_utf8(host) {
        let _ = Host::parse(text);
    }
    if let Ok(value) = HeaderValue::from_bytes(host) {
        let mut request = Request::new(());
        request.headers_mut().insert(HOST, value.clone());
        request
            .headers_mut()
            .insert("x-forwarded-host", value.clone());
        request.headers_mut().insert("forwarded", value);
        let (parts, ()) = request.into_parts();
        if let Ok(Some(slug)) = subdomain.resolve(&parts) {
            let raw = std::str::from_utf8(host).expect("a resolved host is ASCII");
            assert_eq!(
                Some(slug.as_str().to_owned()),
                expected_label(raw),
                "host {raw:?}"
            );
            assert!(!["www", "api", "admin"].contains(&slug.as_str()));
        }
        // The forwarded readers parse lists; they must not panic either, and what
        // they accept is a label of the domain.
        for source in [HostSource::XForwardedHost, HostSource::Forwarded] {
            let resolver = subdomain.clone().host_source(source);
            if let Ok(Some(slug)) = resolver.resolve(&parts) {
                assert!(!slug.as_str().contains('.'));
                let raw = std::str::from_utf8(host).expect("a resolved host is ASCII");
                assert!(raw.to_ascii_lowercase().contains(slug.as_str()), "{raw:?}");
            }
        }
    }

    if let Ok(path) = std::str::from_utf8(path) {
        for position in 0..3 {
            let resolver = Path::new(position);
            if let Some(slug) = resolver.resolve_path(path) {
                assert_eq!(Some(slug.as_str()), path.split('/').nth(position + 1));
            }
            if let Ok(uri) = path.parse::<Uri>() {
                let (parts, ()) = Request::builder().uri(uri).body(()).unwrap().into_parts();
                if let Ok(Some(slug)) = resolver.resolve(&parts) {
                    assert_eq!(
                        Some(slug.as_str()),
                        parts.uri.path().split('/').nth(position + 1)
                    );
                }
            }
        }
    }
});
