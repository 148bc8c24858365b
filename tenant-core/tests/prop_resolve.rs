//! The fuzz target's property, as a proptest: host and path resolution never panic
//! and never return a slug other than the normalised label.

use http::header::HOST;
use http::{HeaderValue, Request, Uri};
use proptest::prelude::*;
use tenant_core::resolve::{Path, Resolve, Subdomain};
use tenant_core::Host;

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

fn check_host(raw: &[u8]) -> Result<(), TestCaseError> {
    let Ok(value) = HeaderValue::from_bytes(raw) else {
        return Ok(());
    };
    let mut request = Request::new(());
    request.headers_mut().insert(HOST, value);
    let (parts, ()) = request.into_parts();
    let subdomain = Subdomain::new("example.com").unwrap();
    if let Ok(Some(slug)) = subdomain.resolve(&parts) {
        let raw = std::str::from_utf8(raw).expect("a resolved host is ASCII");
        prop_assert_eq!(Some(slug.as_str().to_owned()), expected_label(raw));
        prop_assert!(!["www", "api", "admin"].contains(&slug.as_str()));
        prop_assert!(!slug.as_str().contains('.'));
    }
    Ok(())
}

fn check_path(path: &str, position: usize) -> Result<(), TestCaseError> {
    let resolver = Path::new(position);
    // Straight on the string, then through a real URI when it parses as one.
    if let Some(slug) = resolver.resolve_path(path) {
        prop_assert_eq!(Some(slug.as_str()), path.split('/').nth(position + 1));
    }
    if let Ok(uri) = path.parse::<Uri>() {
        let (parts, ()) = Request::builder().uri(uri).body(()).unwrap().into_parts();
        if let Ok(Some(slug)) = resolver.resolve(&parts) {
            prop_assert_eq!(
                Some(slug.as_str()),
                parts.uri.path().split('/').nth(position + 1)
            );
        }
    }
    Ok(())
}

/// Hosts built from the pieces attacks are made of, so that the interesting shapes
/// (a real label, a trailing dot, a port) come up far more often than at random.
fn host_like() -> impl Strategy<Value = String> {
    let label = "[a-zA-Z0-9_.%@\\-]{0,70}";
    let domain = prop_oneof![
        Just("example.com".to_owned()),
        Just("EXAMPLE.com".to_owned()),
        Just("example.com.evil.com".to_owned()),
        Just("evilexample.com".to_owned()),
        Just("example.co".to_owned()),
        "[a-z.]{0,20}",
    ];
    let dot = prop_oneof![Just(""), Just("."), Just("..")];
    let port = prop_oneof![Just(String::new()), ":[0-9]{0,7}", ":[0-9a-z+-]{0,4}"];
    let sep = prop_oneof![Just("."), Just(""), Just("\u{ff0e}"), Just("@")];
    (label, sep, domain, dot, port).prop_map(|(l, s, d, t, p)| format!("{l}{s}{d}{t}{p}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn arbitrary_host_bytes_never_resolve_to_another_label(raw in proptest::collection::vec(any::<u8>(), 0..300)) {
        check_host(&raw)?;
    }

    #[test]
    fn host_shaped_strings_never_resolve_to_another_label(raw in host_like()) {
        check_host(raw.as_bytes())?;
    }

    #[test]
    fn host_parse_never_panics_and_normalises(raw in "\\PC{0,80}") {
        if let Ok(host) = Host::parse(&raw) {
            prop_assert!(host.name().len() <= 253);
            prop_assert!(host.name().is_ascii());
            prop_assert_eq!(host.name().to_ascii_lowercase(), host.name());
            prop_assert!(!host.name().ends_with('.'));
        }
    }

    #[test]
    fn paths_never_resolve_to_another_segment(path in "/[a-zA-Z0-9_%./-]{0,80}", position in 0usize..4) {
        check_path(&path, position)?;
    }

    #[test]
    fn arbitrary_paths_never_panic(path in "\\PC{0,80}", position in 0usize..4) {
        check_path(&path, position)?;
    }
}
