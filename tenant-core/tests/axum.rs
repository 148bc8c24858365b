//! The axum extractor end to end: 400 for a malformed host, 404 for an unknown tenant,
//! 403 or a configured redirect for a non-member, 200 with a context for a member.
#![cfg(feature = "axum")]

use std::sync::Arc;

use axum::body::Body;
use axum::extract::FromRequestParts;
use axum::routing::get;
use axum::Router;
use http::request::Parts;
use http::{Request, StatusCode};
use tenant_core::audit::{AuditEvent, Auditor, DenialAudit, DenialLimits, MemorySink};
use tenant_core::axum::TenantState;
use tenant_core::resolve::{Resolution, TenantResolver};
use tenant_core::{
    Actor, ActorId, InMemoryDirectory, Tenant, TenantConfig, TenantCtx, TenantId, TenantSlug,
};
use tower::ServiceExt;

mod common;
use common::Memberships;

struct User(ActorId);

impl Actor for User {
    fn actor_id(&self) -> ActorId {
        self.0.clone()
    }
}

impl FromRequestParts<App> for User {
    type Rejection = StatusCode;
    async fn from_request_parts(parts: &mut Parts, _: &App) -> Result<Self, StatusCode> {
        let id = parts.headers.get("x-user").and_then(|v| v.to_str().ok());
        id.map(|id| User(ActorId::new(id)))
            .ok_or(StatusCode::UNAUTHORIZED)
    }
}

struct Inner {
    resolver: TenantResolver,
    directory: InMemoryDirectory,
    memberships: Memberships,
    redirect: Option<String>,
    denials: Option<DenialAudit>,
}

#[derive(Clone)]
struct App(Arc<Inner>);

impl TenantState for App {
    type Directory = InMemoryDirectory;
    type Membership = Memberships;
    type User = User;
    fn resolver(&self) -> &TenantResolver {
        &self.0.resolver
    }
    fn directory(&self) -> &InMemoryDirectory {
        &self.0.directory
    }
    fn membership(&self) -> &Memberships {
        &self.0.memberships
    }
    fn denied_redirect(&self) -> Option<&str> {
        self.0.redirect.as_deref()
    }
    fn denial_audit(&self) -> Option<&DenialAudit> {
        self.0.denials.as_ref()
    }
}

fn tenant(id: i64, slug: &str) -> Tenant {
    Tenant {
        id: TenantId::new(id),
        slug: TenantSlug::parse(slug).unwrap(),
        name: slug.to_uppercase(),
        plan: "pro".into(),
    }
}

fn app(config: &str, redirect: Option<&str>) -> Router {
    app_auditing(config, redirect, None)
}

fn app_auditing(config: &str, redirect: Option<&str>, denials: Option<DenialAudit>) -> Router {
    let config = TenantConfig::from_toml(config).unwrap();
    let state = App(Arc::new(Inner {
        resolver: TenantResolver::from_config(&config).unwrap(),
        directory: InMemoryDirectory::new([tenant(1, "acme"), tenant(2, "contoso")]),
        memberships: Memberships(vec![("alice", 1), ("bob", 2)]),
        redirect: redirect.map(str::to_owned),
        denials,
    }));
    Router::new()
        .route(
            "/",
            get(|ctx: TenantCtx| async move { format!("{}:{}", ctx.slug(), ctx.actor()) }),
        )
        .route(
            "/landing",
            get(|resolution: Resolution| async move {
                match resolution {
                    Resolution::Default(d) => format!("default {}", d.slug()),
                    Resolution::Tenant(t) => format!("tenant {}", t.slug()),
                    _ => "other".to_owned(),
                }
            }),
        )
        .with_state(state)
}

async fn call(
    app: &Router,
    uri: &str,
    host: Option<&str>,
    user: Option<&str>,
) -> (StatusCode, String, Option<String>) {
    let mut request = Request::builder().uri(uri);
    if let Some(host) = host {
        request = request.header("host", host);
    }
    if let Some(user) = user {
        request = request.header("x-user", user);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    let body = axum::body::to_bytes(response.into_body(), 1 << 16)
        .await
        .unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap(), location)
}

const STRICT: &str = r#"domain = "example.com""#;

#[tokio::test]
async fn a_member_gets_a_context() {
    let app = app(STRICT, None);
    let (status, body, _) = call(&app, "/", Some("ACME.example.com:443"), Some("alice")).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "acme:alice"));
}

#[tokio::test]
async fn a_malformed_host_is_400() {
    let app = app(STRICT, None);
    for host in [
        "example.com@evil.tld",
        "acme..example.com",
        "acme.example.com:99999",
        "acme.example.com.evil.com",
        "127.0.0.1",
    ] {
        let (status, body, _) = call(&app, "/", Some(host), Some("alice")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{host}");
        assert_eq!(body, "malformed request");
    }
    let (status, _, _) = call(&app, "/", None, Some("alice")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_unknown_tenant_or_no_tenant_is_404() {
    let app = app(STRICT, None);
    let (status, body, _) = call(&app, "/", Some("globex.example.com"), Some("alice")).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::NOT_FOUND, "unknown tenant")
    );
    let (status, body, _) = call(&app, "/", Some("example.com"), Some("alice")).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::NOT_FOUND, "no tenant")
    );
}

#[tokio::test]
async fn a_non_member_is_403_or_redirected_when_configured() {
    let app_403 = app(STRICT, None);
    let (status, body, _) = call(&app_403, "/", Some("acme.example.com"), Some("bob")).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::FORBIDDEN, "forbidden")
    );

    let app_redirect = app(STRICT, Some("https://www.example.com/choose-workspace"));
    let (status, _, location) =
        call(&app_redirect, "/", Some("acme.example.com"), Some("bob")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some("https://www.example.com/choose-workspace")
    );
}

#[tokio::test]
async fn the_user_extractor_rejection_is_passed_through() {
    let app = app(STRICT, None);
    let (status, _, _) = call(&app, "/", Some("acme.example.com"), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_default_outcome_is_visible_and_never_a_context() {
    let app = app("domain = \"example.com\"\nrequired = false", None);
    let (status, body, _) = call(&app, "/landing", Some("example.com"), None).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "default public"));
    let (status, body, _) = call(&app, "/landing", Some("acme.example.com"), None).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "tenant acme"));
    // A handler that asks for a context does not get one for the default.
    let (status, _, _) = call(&app, "/", Some("www.example.com"), Some("alice")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Hostile hosts are still refused, not defaulted.
    let (status, _, _) = call(&app, "/landing", Some("acme.example.com.evil.com"), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// What an audited denial says: (action, actor, tenant, host, client).
type Denial = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn denial(event: &AuditEvent) -> Denial {
    (
        event.action.clone(),
        event.actor.to_string(),
        event.tenant.map(|t| t.to_string()),
        event.host.clone(),
        event.client.map(|c| c.to_string()),
    )
}

fn owned(
    action: &str,
    actor: &str,
    tenant: Option<&str>,
    host: &str,
    client: Option<&str>,
) -> Denial {
    (
        action.into(),
        actor.into(),
        tenant.map(Into::into),
        Some(host.into()),
        client.map(Into::into),
    )
}

#[tokio::test]
async fn every_refused_attempt_is_audited_with_its_source() {
    let log = Arc::new(MemorySink::new());
    let app = app_auditing(
        STRICT,
        None,
        Some(DenialAudit::new(Auditor::new(log.clone()))),
    );
    assert_eq!(
        call(&app, "/", Some("acme.example.com"), Some("alice"))
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        call(&app, "/", Some("bad host!"), None).await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        call(&app, "/", Some("evil.com"), None).await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        call(&app, "/", Some("nope.example.com"), None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        call(&app, "/", Some("example.com"), None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        call(&app, "/", Some("contoso.example.com"), Some("alice"))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    // Not denials of ours: the user extractor's rejection is the application's
    // to audit, and a page of the member's own tenant is no denial.
    assert_eq!(
        call(&app, "/", Some("acme.example.com"), None).await.0,
        StatusCode::UNAUTHORIZED
    );
    let events: Vec<Denial> = log.events().iter().map(denial).collect();
    assert_eq!(
        events,
        [
            owned("denied.malformed_request", "-", None, "bad host!", None),
            owned("denied.malformed_request", "-", None, "evil.com", None),
            owned("denied.unknown_tenant", "-", None, "nope.example.com", None),
            owned("denied.no_tenant", "-", None, "example.com", None),
            owned(
                "denied.not_a_member",
                "alice",
                Some("2"),
                "contoso.example.com",
                None
            ),
        ]
    );
}

#[tokio::test]
async fn a_duplicated_host_is_recorded_whole_and_the_client_address_is_kept() {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;

    let log = Arc::new(MemorySink::new());
    let app = app_auditing(
        STRICT,
        None,
        Some(DenialAudit::new(Auditor::new(log.clone()))),
    );
    let client: SocketAddr = "192.0.2.7:50000".parse().unwrap();
    let request = Request::builder()
        .uri("/")
        .header("host", "acme.example.com")
        .header("host", "contoso.example.com")
        .extension(ConnectInfo(client))
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        log.events().iter().map(denial).collect::<Vec<_>>(),
        [owned(
            "denied.malformed_request",
            "-",
            None,
            "acme.example.com, contoso.example.com",
            Some("192.0.2.7"),
        )]
    );
}

#[tokio::test]
async fn a_flood_of_denials_from_one_client_is_rate_limited() {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;

    let log = Arc::new(MemorySink::new());
    let limits = DenialLimits {
        per_client: 5,
        ..DenialLimits::default()
    };
    let app = app_auditing(
        STRICT,
        None,
        Some(DenialAudit::with_limits(Auditor::new(log.clone()), limits)),
    );
    for (n, client) in std::iter::repeat_n("192.0.2.7:1", 50)
        .chain(std::iter::repeat_n("192.0.2.8:1", 3))
        .enumerate()
    {
        let client: SocketAddr = client.parse().unwrap();
        let request = Request::builder()
            .uri("/")
            .header("host", format!("nope{n}.example.com"))
            .extension(ConnectInfo(client))
            .body(Body::empty())
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        assert_eq!(
            response.status(),
            StatusCode::NOT_FOUND,
            "refused either way"
        );
    }
    let clients: Vec<String> = log
        .events()
        .iter()
        .map(|e| e.client.unwrap().to_string())
        .collect();
    assert_eq!(clients.iter().filter(|c| *c == "192.0.2.7").count(), 5);
    assert_eq!(clients.iter().filter(|c| *c == "192.0.2.8").count(), 3);
}

#[tokio::test]
async fn private_response_keeps_pages_out_of_shared_caches() {
    let app = app(STRICT, None).layer(axum::middleware::map_response(
        tenant_core::axum::private_response,
    ));
    let request = Request::builder()
        .uri("/")
        .header("host", "acme.example.com")
        .header("x-user", "alice")
        .body(Body::empty())
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers();
    assert_eq!(headers["cache-control"], "private, no-store");
    assert_eq!(headers["vary"], "Cookie, Host");
}
