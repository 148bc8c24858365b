//! Resolvers, configuration and the membership gate (job claims: `claims.rs`).

use std::fmt;

use http::request::Parts;
use http::Request;
use tenant_core::resolve::{
    Chain, Header, Path, Resolution, Resolve, ResolveError, Session, Subdomain, TenantResolver,
    TenantSession,
};
use tenant_core::{
    AccessDenied, ActorId, ConfigError, InMemoryDirectory, MembershipCheck, ResolverKind, Tenant,
    TenantConfig, TenantDirectory, TenantId, TenantSlug,
};

fn slug(s: &str) -> TenantSlug {
    TenantSlug::parse(s).unwrap()
}

fn tenant(id: i64, s: &str) -> Tenant {
    Tenant {
        id: TenantId::new(id),
        slug: slug(s),
        name: s.to_uppercase(),
        plan: "free".into(),
    }
}

fn request(uri: &str, headers: &[(&str, &str)]) -> Parts {
    let mut builder = Request::builder().uri(uri);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(()).unwrap().into_parts().0
}

fn got(result: Result<Option<TenantSlug>, ResolveError>) -> String {
    match result {
        Ok(Some(slug)) => slug.to_string(),
        Ok(None) => "none".into(),
        Err(e) => format!("error: {e}"),
    }
}

// ---------------------------------------------------------------- resolvers

#[test]
fn path_takes_the_segment_at_its_position_verbatim() {
    let cases = [
        ("/acme/dashboard", 0, "acme"),
        ("/acme", 0, "acme"),
        ("/acme/", 0, "acme"),
        ("/t/acme/x", 1, "acme"),
        ("/a_b-9/x", 0, "a_b-9"),
        ("/", 0, "none"),
        ("//acme", 0, "none"),
        ("/Acme/x", 0, "none"),
        ("/%61cme/x", 0, "none"),
        ("/ac.me/x", 0, "none"),
        ("/../acme", 0, "none"),
        ("/static/app.css", 0, "none"),
        ("/admin/", 0, "none"),
        ("/api/v1", 0, "none"),
        ("/media/x.png", 0, "none"),
        ("/acme", 1, "none"),
    ];
    for (uri, position, want) in cases {
        assert_eq!(
            got(Path::new(position).resolve(&request(uri, &[]))),
            want,
            "{uri} @ {position}"
        );
    }
    let long = format!("/{}/x", "a".repeat(64));
    assert_eq!(got(Path::new(0).resolve(&request(&long, &[]))), "none");
    let custom = Path::new(0).exclude(["acme"]);
    assert_eq!(got(custom.resolve(&request("/acme/x", &[]))), "none");
    assert_eq!(got(custom.resolve(&request("/static/x", &[]))), "static");
}

#[test]
fn header_reads_one_exact_slug() {
    let header = Header::new();
    assert_eq!(
        got(header.resolve(&request("/", &[("x-tenant-id", "acme")]))),
        "acme"
    );
    assert_eq!(got(header.resolve(&request("/", &[]))), "none");
    for bad in ["Acme", "ac me", "acme.example.com", "", "acme,contoso"] {
        let result = header.resolve(&request("/", &[("x-tenant-id", bad)]));
        assert!(
            matches!(result, Err(ResolveError::MalformedHeader(_))),
            "{bad:?}"
        );
    }
    let twice = request("/", &[("x-tenant-id", "acme"), ("x-tenant-id", "acme")]);
    assert!(matches!(
        header.resolve(&twice),
        Err(ResolveError::MalformedHeader(_))
    ));
    let named = Header::named(http::HeaderName::from_static("x-org"));
    assert_eq!(
        got(named.resolve(&request(
            "/",
            &[("x-org", "acme"), ("x-tenant-id", "contoso")]
        ))),
        "acme"
    );
}

#[derive(Clone)]
struct MySession(Vec<(&'static str, &'static str)>);

impl TenantSession for MySession {
    fn get(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| (*v).to_owned())
    }
}

fn with_session(session: MySession) -> Parts {
    let mut parts = request("/", &[]);
    parts.extensions.insert(session);
    parts
}

#[test]
fn session_reads_the_configured_key() {
    let resolver = Session::<MySession>::new("tenant");
    assert_eq!(
        got(resolver.resolve(&with_session(MySession(vec![("tenant", "acme")])))),
        "acme"
    );
    assert_eq!(
        got(resolver.resolve(&with_session(MySession(vec![("other", "acme")])))),
        "none"
    );
    assert_eq!(got(resolver.resolve(&request("/", &[]))), "none");
    let bad = resolver.resolve(&with_session(MySession(vec![("tenant", "ACME")])));
    assert!(matches!(bad, Err(ResolveError::MalformedSession)));
}

#[derive(Debug)]
struct Refused;
impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("refused")
    }
}
impl std::error::Error for Refused {}

struct Custom(Result<Option<&'static str>, ()>);

impl Resolve for Custom {
    fn resolve(&self, _: &Parts) -> Result<Option<TenantSlug>, ResolveError> {
        match self.0 {
            Ok(slug) => Ok(slug.map(slug_of)),
            Err(()) => Err(ResolveError::Custom(Box::new(Refused))),
        }
    }
}

fn slug_of(s: &str) -> TenantSlug {
    slug(s)
}

#[test]
fn a_chain_takes_the_first_match_and_stops_at_the_first_error() {
    let parts = request("/contoso/x", &[("host", "acme.example.com")]);
    let subdomain_first = Chain::new()
        .then(Subdomain::new("example.com").unwrap())
        .then(Path::new(0));
    assert_eq!(got(subdomain_first.resolve(&parts)), "acme");
    let path_first = Chain::new()
        .then(Path::new(0))
        .then(Subdomain::new("example.com").unwrap());
    assert_eq!(got(path_first.resolve(&parts)), "contoso");

    // A malformed host stops the chain: the path resolver after it is never asked.
    let bad_host = request("/contoso/x", &[("host", "example.com@evil.tld")]);
    assert!(subdomain_first.resolve(&bad_host).is_err());

    let custom = Chain::new()
        .then(Custom(Ok(None)))
        .then(Custom(Ok(Some("acme"))));
    assert_eq!(got(custom.resolve(&parts)), "acme");
    let refusing = Chain::new()
        .then(Custom(Err(())))
        .then(Custom(Ok(Some("acme"))));
    assert!(matches!(
        refusing.resolve(&parts),
        Err(ResolveError::Custom(_))
    ));
    assert_eq!(got(Chain::new().resolve(&parts)), "none");
}

// ---------------------------------------------------------------- configuration

#[test]
fn config_defaults_are_documented_values() {
    let config = TenantConfig::from_toml("").unwrap();
    assert_eq!(config, TenantConfig::default());
    assert_eq!(config.resolvers, [ResolverKind::Subdomain]);
    assert_eq!(config.domain, None);
    assert_eq!(config.exclude_subdomains, ["www", "api", "admin"]);
    assert_eq!(config.path_position, 0);
    assert_eq!(config.exclude_paths, ["admin", "api", "static", "media"]);
    assert_eq!(config.header, "X-Tenant-ID");
    assert_eq!(config.session_key, "tenant");
    assert_eq!(config.host_source, tenant_core::HostSource::Host);
    assert_eq!(config.default_tenant, "public");
    assert!(config.required);
}

#[test]
fn config_loads_every_key_from_toml() {
    let config = TenantConfig::from_toml(
        r#"
        resolvers = ["header", "subdomain", "path", "session"]
        domain = "Example.COM."
        exclude_subdomains = ["www", "status"]
        host_source = "x-forwarded-host"
        path_position = 1
        exclude_paths = ["assets"]
        header = "X-Org"
        session_key = "org"
        default_tenant = "marketing"
        required = false
        "#,
    )
    .unwrap();
    assert_eq!(config.host_source, tenant_core::HostSource::XForwardedHost);
    assert!(matches!(
        TenantResolver::from_config(&config),
        Err(ConfigError::SessionTypeNeeded)
    ));
    let resolver = TenantResolver::from_config_with_session::<MySession>(&config).unwrap();
    let mut parts = request(
        "/t/path-tenant",
        &[("x-forwarded-host", "status.example.com")],
    );
    parts
        .extensions
        .insert(MySession(vec![("org", "session-tenant")]));
    // header: absent; subdomain: `status` is excluded; path: segment 1.
    assert_eq!(
        resolver.resolve_slug(&parts).unwrap().unwrap().as_str(),
        "path-tenant"
    );
    let parts = request("/", &[("x-forwarded-host", "example.com")]);
    assert_eq!(
        resolver
            .resolve_slug(&parts)
            .unwrap()
            .unwrap_err()
            .slug()
            .as_str(),
        "marketing"
    );
}

#[test]
fn bad_configs_are_refused_at_start_up() {
    let bad = [
        ("requried = false", "unknown key"),
        ("required = \"no\"", "wrong type"),
        ("resolvers = [\"cookie\"]", "unknown resolver"),
        ("", "missing domain"),
        ("domain = \"example.com:8080\"", "port"),
        ("domain = \"127.0.0.1\"", "ip"),
        ("domain = \"exa mple.com\"", "invalid domain"),
        (
            "domain = \"example.com\"\ndefault_tenant = \"Public\"",
            "bad default",
        ),
        ("domain = \"example.com\"\nresolvers = []", "no resolver"),
        (
            "resolvers = [\"header\"]\nheader = \"x tenant\"",
            "bad header",
        ),
    ];
    for (text, why) in bad {
        let result = TenantConfig::from_toml(text).and_then(|c| TenantResolver::from_config(&c));
        assert!(result.is_err(), "{why}: {text}");
    }
}

// ---------------------------------------------------------------- minting

mod common;
use common::Memberships;

struct Broken;
impl MembershipCheck for Broken {
    type Error = Refused;
    fn is_member(&self, _: &ActorId, _: &Tenant) -> Result<bool, Refused> {
        Err(Refused)
    }
}

fn directory() -> InMemoryDirectory {
    InMemoryDirectory::new([tenant(1, "acme"), tenant(2, "contoso")])
}

#[test]
fn resolving_then_authorizing_mints_a_context_for_members_only() {
    let resolver = TenantResolver::new(Chain::new().then(Subdomain::new("example.com").unwrap()));
    let members = Memberships(vec![("alice", 1), ("bob", 2)]);
    let parts = request("/", &[("host", "acme.example.com")]);
    let Resolution::Tenant(resolved) = resolver.resolve(&parts, &directory()).unwrap() else {
        panic!("acme resolves");
    };
    assert_eq!(resolved.id(), TenantId::new(1));

    let ctx = resolved
        .authorize(&ActorId::new("alice"), &members)
        .unwrap();
    assert_eq!(ctx.tenant_id(), TenantId::new(1));
    assert_eq!(ctx.slug().as_str(), "acme");
    assert_eq!(ctx.actor().as_str(), "alice");

    // alice@acme logs into contoso: no context.
    let Resolution::Tenant(contoso) = resolver
        .resolve(
            &request("/", &[("host", "contoso.example.com")]),
            &directory(),
        )
        .unwrap()
    else {
        panic!("contoso resolves");
    };
    assert!(matches!(
        contoso.authorize(&ActorId::new("alice"), &members),
        Err(AccessDenied::NotAMember { .. })
    ));
    // A failing check denies rather than allows.
    assert!(matches!(
        resolved.authorize(&ActorId::new("alice"), &Broken),
        Err(AccessDenied::CheckFailed { .. })
    ));
}

#[test]
fn an_unknown_tenant_is_an_error_even_when_not_required() {
    let resolver = TenantResolver::new(Chain::new().then(Subdomain::new("example.com").unwrap()))
        .required(false);
    let parts = request("/", &[("host", "globex.example.com")]);
    assert!(matches!(
        resolver.resolve(&parts, &directory()),
        Err(ResolveError::UnknownTenant(s)) if s.as_str() == "globex"
    ));
}

#[test]
fn the_default_is_a_visible_outcome_that_opens_nothing_by_itself() {
    let resolver = TenantResolver::new(Chain::new().then(Subdomain::new("example.com").unwrap()))
        .required(false);
    let parts = request("/", &[("host", "example.com")]);
    let Resolution::Default(default) = resolver.resolve(&parts, &directory()).unwrap() else {
        panic!("the apex is the default outcome");
    };
    assert_eq!(default.slug().as_str(), "public");
    // Serving it is an explicit lookup, and an absent default tenant is an error.
    assert!(matches!(
        default.lookup(&directory()),
        Err(ResolveError::UnknownTenant(_))
    ));
    let mut with_public = directory();
    with_public.insert(tenant(9, "public"));
    assert_eq!(default.lookup(&with_public).unwrap().id(), TenantId::new(9));

    let strict = TenantResolver::new(Chain::new().then(Subdomain::new("example.com").unwrap()));
    assert!(matches!(
        strict.resolve(&parts, &directory()),
        Err(ResolveError::NoTenant)
    ));
}

#[test]
fn contexts_are_clone_send_sync() {
    fn assert_traits<T: Clone + Send + Sync>() {}
    assert_traits::<tenant_core::TenantCtx>();
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<TenantResolver>();
    assert_traits::<InMemoryDirectory>();
    fn assert_dir<D: TenantDirectory>() {}
    assert_dir::<&InMemoryDirectory>();
}

/// The async membership gate gives the sync gate's verdicts: a context for a
/// member, `NotAMember` for anyone else, `CheckFailed` when the check fails.
#[test]
fn the_async_membership_check_gives_the_same_verdicts() {
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};
    use tenant_core::{AsyncMembershipCheck, ResolvedTenant};

    #[derive(Debug)]
    struct Down;
    impl fmt::Display for Down {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("the membership table is unreachable")
        }
    }
    impl std::error::Error for Down {}

    /// Alice is a member of tenant 1; the check fails for tenant 2.
    struct Table;
    impl AsyncMembershipCheck for Table {
        type Error = Down;
        async fn is_member(&self, actor: &ActorId, tenant: &Tenant) -> Result<bool, Down> {
            match tenant.id.get() {
                1 => Ok(actor.as_str() == "alice"),
                _ => Err(Down),
            }
        }
    }

    fn ready<T>(future: impl Future<Output = T>) -> T {
        match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(value) => value,
            Poll::Pending => panic!("the check is ready at once"),
        }
    }

    let acme = ResolvedTenant::new(tenant(1, "acme"));
    let ctx = ready(acme.authorize_async(&ActorId::new("alice"), &Table)).unwrap();
    assert_eq!(ctx.tenant_id(), TenantId::new(1));
    assert!(matches!(
        ready(acme.authorize_async(&ActorId::new("mallory"), &Table)),
        Err(AccessDenied::NotAMember { .. })
    ));
    let contoso = ResolvedTenant::new(tenant(2, "contoso"));
    assert!(matches!(
        ready(contoso.authorize_async(&ActorId::new("alice"), &Table)),
        Err(AccessDenied::CheckFailed { .. })
    ));
}
