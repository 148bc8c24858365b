//! Strict host handling, table-driven (Django's `validate_host` is the model).
//!
//! Each row is one `Host` header value and what the `Subdomain` resolver for
//! `example.com` (default exclusions) must answer. Every row that is not a tenant is
//! also run through a `TenantResolver` with `required = true` and with
//! `required = false`: malformed and foreign hosts are errors in both (never the
//! default, never another tenant); only "no tenant" may become the visible
//! `Resolution::Default`, and only when `required = false`.

use http::header::HOST;
use http::request::Parts;
use http::{HeaderValue, Request};
use tenant_core::resolve::{Chain, Resolve, ResolveError, Subdomain, TenantResolver};
use tenant_core::{HostSource, TenantSlug};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Want {
    Tenant(&'static str),
    /// `Ok(None)`: the apex, nested subdomains, excluded labels.
    NoTenant,
    /// Well-formed but not ours: suffix confusion, IP literals, other sites.
    Foreign,
    /// Missing, duplicated or syntactically invalid.
    Malformed,
}
use Want::*;

fn long_label(n: usize) -> String {
    "a".repeat(n)
}

fn rows() -> Vec<(String, Want)> {
    let label63 = long_label(63);
    let label64 = long_label(64);
    // 4 * 63 + 3 dots + ".example.com" > 253.
    let host254 = format!("{label63}.{label63}.{label63}.{label63}.example.com");
    // Exactly 253: a tenant-shaped host just inside the limit is still nested.
    let host253 = format!(
        "{label63}.{label63}.{label63}.{}.example.com",
        long_label(49)
    );
    assert_eq!(host253.len(), 253);
    let fixed: Vec<(&str, Want)> = vec![
        // accepted and normalised
        ("acme.example.com", Tenant("acme")),
        ("ACME.EXAMPLE.COM", Tenant("acme")),
        ("Acme.Example.Com", Tenant("acme")),
        ("acme.example.com.", Tenant("acme")),
        ("acme.example.com:8080", Tenant("acme")),
        ("ACME.Example.com.:443", Tenant("acme")),
        ("acme.example.com:1", Tenant("acme")),
        ("acme.example.com:65535", Tenant("acme")),
        ("a-b.example.com", Tenant("a-b")),
        ("123.example.com", Tenant("123")),
        ("x.example.com", Tenant("x")),
        // suffix confusion
        ("acme.example.com.evil.com", Foreign),
        ("evilexample.com", Foreign),
        ("acmeexample.com", Foreign),
        ("example.com.evil.com", Foreign),
        ("acme.example.co", Foreign),
        ("acme.example.com-evil.com", Foreign),
        ("evil.com", Foreign),
        ("localhost", Foreign),
        // userinfo
        ("example.com@evil.tld", Malformed),
        ("acme.example.com@evil.tld", Malformed),
        ("user:pass@acme.example.com", Malformed),
        ("evil.tld@acme.example.com", Malformed),
        // ports
        ("acme.example.com:abc", Malformed),
        ("acme.example.com:65536", Malformed),
        ("acme.example.com:99999", Malformed),
        ("acme.example.com:123456", Malformed),
        ("acme.example.com:", Malformed),
        ("acme.example.com:0", Malformed),
        ("acme.example.com:+80", Malformed),
        ("acme.example.com:-1", Malformed),
        ("acme.example.com:80:80", Malformed),
        ("acme.example.com: 80", Malformed),
        // empty labels and `..`
        ("acme..example.com", Malformed),
        (".acme.example.com", Malformed),
        ("acme.example.com..", Malformed),
        ("..", Malformed),
        (".", Malformed),
        ("", Malformed),
        (":8080", Malformed),
        // percent-encoding
        ("acme%2eexample.com", Malformed),
        ("%61cme.example.com", Malformed),
        ("acme.example.com%00", Malformed),
        // IP literals
        ("127.0.0.1", Foreign),
        ("127.0.0.1:8080", Foreign),
        ("2130706433", Foreign),
        ("0x7f.1", Foreign),
        ("[::1]", Foreign),
        ("[::1]:8080", Foreign),
        ("[::ffff:127.0.0.1]", Foreign),
        ("[::1", Malformed),
        ("::1", Malformed),
        ("[::1]x", Malformed),
        ("[fe80::1%25eth0]", Malformed),
        // the apex
        ("example.com", NoTenant),
        ("EXAMPLE.COM.", NoTenant),
        ("example.com:8080", NoTenant),
        // nested subdomains
        ("a.acme.example.com", NoTenant),
        ("www.acme.example.com", NoTenant),
        ("acme.contoso.example.com", NoTenant),
        // excluded names
        ("www.example.com", NoTenant),
        ("api.example.com", NoTenant),
        ("ADMIN.example.com", NoTenant),
        ("www.example.com.:443", NoTenant),
        // non-ASCII, fullwidth and ideographic dots, look-alikes
        ("acme.exämple.com", Malformed),
        ("acme\u{ff0e}example.com", Malformed),
        ("acme\u{3002}example.com", Malformed),
        ("acme\u{ff0e}example\u{ff0e}com", Malformed),
        ("\u{430}cme.example.com", Malformed),
        ("ａｃｍｅ.example.com", Malformed),
        // characters no host holds
        ("acme_corp.example.com", Malformed),
        ("-acme.example.com", Malformed),
        ("acme-.example.com", Malformed),
        ("acme example.com", Malformed),
        ("acme.example.com/evil", Malformed),
        ("acme.example.com\\evil", Malformed),
        ("acme.example.com,contoso.example.com", Malformed),
        ("acme.example.com\t", Malformed),
        ("acme.example.com?x", Malformed),
        ("acme.example.com#x", Malformed),
        ("\"acme.example.com\"", Malformed),
    ];
    let mut rows: Vec<(String, Want)> = fixed.into_iter().map(|(h, w)| (h.to_owned(), w)).collect();
    rows.push((
        format!("{label63}.example.com"),
        Tenant(leak(label63.clone())),
    ));
    rows.push((format!("{label64}.example.com"), Malformed));
    rows.push((host254, Malformed));
    rows.push((host253, NoTenant));
    rows
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn parts_with_hosts(hosts: &[&[u8]]) -> Parts {
    let mut request = Request::new(());
    for host in hosts {
        let value = HeaderValue::from_bytes(host).expect("the table holds valid header bytes");
        request.headers_mut().append(HOST, value);
    }
    request.into_parts().0
}

fn subdomain() -> Subdomain {
    Subdomain::new("example.com").unwrap()
}

fn classify(result: Result<Option<TenantSlug>, ResolveError>) -> String {
    match result {
        Ok(Some(slug)) => format!("Tenant({slug})"),
        Ok(None) => "NoTenant".into(),
        Err(ResolveError::ForeignHost) => "Foreign".into(),
        Err(ResolveError::MalformedHost(_)) => "Malformed".into(),
        Err(other) => format!("unexpected error {other:?}"),
    }
}

fn want_str(want: Want) -> String {
    match want {
        Tenant(slug) => format!("Tenant({slug})"),
        other => format!("{other:?}"),
    }
}

#[test]
fn every_host_in_the_table_resolves_as_expected() {
    let rows = rows();
    assert!(rows.len() >= 40, "the table must hold at least 40 inputs");
    let subdomain = subdomain();
    let mut failures = Vec::new();
    for (host, want) in &rows {
        let parts = parts_with_hosts(&[host.as_bytes()]);
        let got = classify(subdomain.resolve(&parts));
        if got != want_str(*want) {
            failures.push(format!("{host:?}: wanted {}, got {got}", want_str(*want)));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

#[test]
fn no_row_ever_yields_the_default_or_another_tenant() {
    let strict = TenantResolver::new(Chain::new().then(subdomain()));
    let lenient = TenantResolver::new(Chain::new().then(subdomain())).required(false);
    for (host, want) in rows() {
        let parts = parts_with_hosts(&[host.as_bytes()]);
        let strict = strict.resolve_slug(&parts);
        let lenient = lenient.resolve_slug(&parts);
        match want {
            Tenant(slug) => {
                assert_eq!(strict.unwrap().unwrap().as_str(), slug, "{host:?}");
                assert_eq!(lenient.unwrap().unwrap().as_str(), slug, "{host:?}");
            }
            // Benign absence: refused when required, the visible default otherwise.
            NoTenant => {
                assert!(
                    matches!(strict, Err(ResolveError::NoTenant)),
                    "{host:?}: {strict:?}"
                );
                let default = lenient.unwrap().unwrap_err();
                assert_eq!(default.slug().as_str(), "public", "{host:?}");
            }
            // Hostile or broken: an error whatever `required` says.
            Foreign | Malformed => {
                assert!(strict.is_err_and(|e| e.is_malformed()), "{host:?}");
                assert!(lenient.is_err_and(|e| e.is_malformed()), "{host:?}");
            }
        }
    }
}

#[test]
fn a_missing_host_is_malformed() {
    let parts = parts_with_hosts(&[]);
    assert_eq!(classify(subdomain().resolve(&parts)), "Malformed");
}

#[test]
fn a_duplicated_host_is_malformed_even_when_both_agree() {
    let parts = parts_with_hosts(&[b"acme.example.com", b"acme.example.com"]);
    assert_eq!(classify(subdomain().resolve(&parts)), "Malformed");
    let parts = parts_with_hosts(&[b"acme.example.com", b"contoso.example.com"]);
    assert_eq!(classify(subdomain().resolve(&parts)), "Malformed");
}

#[test]
fn an_absolute_form_target_must_agree_with_the_host_header() {
    let (parts, ()) = Request::builder()
        .uri("http://contoso.example.com/")
        .header(HOST, "acme.example.com")
        .body(())
        .unwrap()
        .into_parts();
    assert_eq!(classify(subdomain().resolve(&parts)), "Malformed");

    let (parts, ()) = Request::builder()
        .uri("http://ACME.example.com/")
        .header(HOST, "acme.example.com")
        .body(())
        .unwrap()
        .into_parts();
    assert_eq!(classify(subdomain().resolve(&parts)), "Tenant(acme)");
}

#[test]
fn http2_authority_stands_in_for_host_but_http1_needs_the_header() {
    let (parts, ()) = Request::builder()
        .version(http::Version::HTTP_2)
        .uri("https://acme.example.com/")
        .body(())
        .unwrap()
        .into_parts();
    assert_eq!(classify(subdomain().resolve(&parts)), "Tenant(acme)");

    let (parts, ()) = Request::builder()
        .uri("https://acme.example.com/")
        .body(())
        .unwrap()
        .into_parts();
    assert_eq!(classify(subdomain().resolve(&parts)), "Malformed");
}

fn with_headers(headers: &[(&str, &str)]) -> Parts {
    let mut builder = Request::builder();
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(()).unwrap().into_parts().0
}

#[test]
fn forwarded_headers_are_ignored_unless_trusted() {
    let parts = with_headers(&[
        ("host", "acme.example.com"),
        ("x-forwarded-host", "contoso.example.com"),
        ("forwarded", "host=contoso.example.com"),
    ]);
    assert_eq!(classify(subdomain().resolve(&parts)), "Tenant(acme)");
}

#[test]
fn trusted_x_forwarded_host_uses_the_rightmost_entry() {
    let xfh = subdomain().host_source(HostSource::XForwardedHost);
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[
                ("host", "internal:8080"),
                ("x-forwarded-host", "acme.example.com"),
            ],
            "Tenant(acme)",
        ),
        // The client wrote the left entry, our proxy appended the right one.
        (
            &[("x-forwarded-host", "contoso.example.com, acme.example.com")],
            "Tenant(acme)",
        ),
        (
            &[("x-forwarded-host", "acme.example.com,evil.com")],
            "Foreign",
        ),
        (
            &[("x-forwarded-host", "ACME.example.com.:443")],
            "Tenant(acme)",
        ),
        // Two header lines are one list, in order.
        (
            &[
                ("x-forwarded-host", "contoso.example.com"),
                ("x-forwarded-host", "acme.example.com"),
            ],
            "Tenant(acme)",
        ),
        (&[("x-forwarded-host", "acme.example.com,")], "Malformed"),
        (&[("x-forwarded-host", ",acme.example.com")], "Malformed"),
        (
            &[("x-forwarded-host", "contoso.example.com,,acme.example.com")],
            "Malformed",
        ),
        (&[("x-forwarded-host", "   ")], "Malformed"),
        (&[("x-forwarded-host", "example.com@evil.tld")], "Malformed"),
        // Trusted means required: no fall back to Host.
        (&[("host", "acme.example.com")], "Malformed"),
    ];
    for (headers, want) in cases {
        assert_eq!(
            &classify(xfh.resolve(&with_headers(headers))),
            want,
            "{headers:?}"
        );
    }
}

#[test]
fn trusted_forwarded_uses_the_host_of_the_rightmost_element() {
    let fwd = subdomain().host_source(HostSource::Forwarded);
    let cases: &[(&str, &str)] = &[
        ("host=acme.example.com", "Tenant(acme)"),
        ("for=192.0.2.1;host=contoso.example.com, for=198.51.100.7;host=\"acme.example.com:8443\";proto=https", "Tenant(acme)"),
        ("for=192.0.2.1;Host=ACME.example.com", "Tenant(acme)"),
        ("host=acme.example.com, for=198.51.100.7", "Malformed"),
        ("host=acme.example.com;host=contoso.example.com", "Malformed"),
        ("host=\"contoso.example.com, host=acme.example.com\"", "Malformed"),
        ("host=\"acme.example.com", "Malformed"),
        ("host=\"acme\\.example.com\"", "Malformed"),
        ("host=acme.example.com.evil.com", "Foreign"),
        ("for=192.0.2.1;host", "Malformed"),
    ];
    for (value, want) in cases {
        let parts = with_headers(&[("host", "internal"), ("forwarded", value)]);
        assert_eq!(&classify(fwd.resolve(&parts)), want, "{value:?}");
    }
}
