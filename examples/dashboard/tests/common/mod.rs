//! What the HTTP tests share: a real dashboard on a random loopback port, a real
//! HTTP client that names the tenant in the `Host` header, and the suite that runs
//! unchanged on SQLite and PostgreSQL.
#![allow(dead_code)] // each test binary uses part of it

pub mod suite;

use std::sync::Arc;
use std::time::Duration;

use dashboard::config::{Config, Database};
use dashboard::Server;
use reqwest::header::{COOKIE, HOST, LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;
use reqwest::StatusCode;

/// Acme's account names, which no response for Contoso may contain.
pub const ACME: [&str; 3] = ["Hooli", "Initech", "Wayne Enterprises"];
/// Contoso's account names, which no response for Acme may contain.
pub const CONTOSO: [&str; 3] = ["Stark Industries", "Tyrell Corp", "Umbrella"];

/// An audit event, flattened: (tenant id, actor, action, target, detail).
pub type Event = (Option<i64>, String, String, Option<String>, Option<String>);

/// A dashboard under test and a client for it; clones share both.
#[derive(Clone)]
pub struct Harness {
    /// The running server.
    pub server: Arc<Server>,
    client: reqwest::Client,
    /// What it was started with.
    config: Config,
    /// Gives a config its own database, for [`Harness::another`].
    fresh: fn(Config) -> Config,
}

/// One response, read whole.
#[derive(Debug)]
pub struct Page {
    /// Its status.
    pub status: StatusCode,
    /// Its `Location`, if any.
    pub location: Option<String>,
    /// Its session cookie, if it set one (`name=value`).
    pub cookie: Option<String>,
    /// Its body.
    pub body: String,
    /// Its headers.
    pub headers: reqwest::header::HeaderMap,
}

impl Page {
    /// Panics unless the body names none of `names`.
    pub fn assert_free_of(&self, names: &[&str], context: &str) {
        for name in names {
            assert!(
                !self.body.contains(name),
                "{context}: the body names `{name}`:\n{}",
                self.body
            );
        }
    }
}

/// The demo configuration on a random loopback port.
pub fn config(database: Database, redis_url: Option<String>) -> Config {
    let mut config = Config::demo();
    config.port = 0;
    config.database = database;
    config.redis_url = redis_url;
    // Far above what any check but the throttling one does (that one lowers
    // them): the suite's failed logins all come from 127.0.0.1.
    config.login_failures_per_account = 1_000;
    config.login_failures_per_source = 10_000;
    config
}

impl Harness {
    /// Starts a dashboard with `config`.
    pub async fn start(config: Config) -> Self {
        let server = dashboard::start(config.clone())
            .await
            .expect("the dashboard starts");
        let client = reqwest::Client::builder()
            .redirect(Policy::none())
            .timeout(Duration::from_secs(30))
            .pool_max_idle_per_host(64)
            .build()
            .expect("a client");
        Self {
            server: Arc::new(server),
            client,
            config,
            // The demo database is a fresh one at every start.
            fresh: |config| config,
        }
    }

    /// Gives each further dashboard ([`another`](Self::another)) a database of
    /// its own with `fresh`, for a backend whose config names a shared one.
    pub fn with_fresh_databases(mut self, fresh: fn(Config) -> Config) -> Self {
        self.fresh = fresh;
        self
    }

    /// Another dashboard on the same backend (a fresh database), with this
    /// one's config changed by `change`.
    pub async fn another(&self, change: impl FnOnce(&mut Config)) -> Harness {
        let mut config = (self.fresh)(self.config.clone());
        change(&mut config);
        Harness::start(config)
            .await
            .with_fresh_databases(self.fresh)
    }

    /// The `Host` header for `subdomain` (`""` for the apex).
    pub fn host(&self, subdomain: &str) -> String {
        let port = self.server.addr.port();
        if subdomain.is_empty() {
            format!("localhost:{port}")
        } else {
            format!("{subdomain}.localhost:{port}")
        }
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Page {
        let response = request.send().await.expect("the server answers");
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        let location = header(LOCATION);
        let cookie = header(SET_COOKIE).and_then(|c| c.split(';').next().map(str::to_owned));
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.expect("a body");
        Page {
            status,
            location,
            cookie,
            body,
            headers,
        }
    }

    /// `GET path` with the raw `Host` value `host` and an optional cookie.
    pub async fn get_raw(&self, host: &str, path: &str, cookie: Option<&str>) -> Page {
        let mut request = self
            .client
            .get(format!("http://{}{path}", self.server.addr))
            .header(HOST, host);
        if let Some(cookie) = cookie {
            request = request.header(COOKIE, cookie);
        }
        self.send(request).await
    }

    /// `GET path` on `subdomain` with `headers` besides (several `Cookie`
    /// headers, ..).
    pub async fn get_with(&self, subdomain: &str, path: &str, headers: &[(&str, &str)]) -> Page {
        let mut request = self
            .client
            .get(format!("http://{}{path}", self.server.addr))
            .header(HOST, self.host(subdomain));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request).await
    }

    /// `GET path` on `subdomain`.
    pub async fn get(&self, subdomain: &str, path: &str, cookie: Option<&str>) -> Page {
        self.get_raw(&self.host(subdomain), path, cookie).await
    }

    /// `POST path` on `subdomain` with a form body.
    pub async fn post(
        &self,
        subdomain: &str,
        path: &str,
        cookie: Option<&str>,
        form: &str,
    ) -> Page {
        self.post_raw(&self.host(subdomain), path, cookie, form, &[])
            .await
    }

    /// `POST path` with the raw `Host` value `host`, a form body and `headers`
    /// besides (`Origin`, `Sec-Fetch-Site`, ..).
    pub async fn post_raw(
        &self,
        host: &str,
        path: &str,
        cookie: Option<&str>,
        form: &str,
        headers: &[(&str, &str)],
    ) -> Page {
        let mut request = self
            .client
            .post(format!("http://{}{path}", self.server.addr))
            .header(HOST, host)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.to_owned());
        if let Some(cookie) = cookie {
            request = request.header(COOKIE, cookie);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request).await
    }

    /// Logs `user` in on `subdomain`; the session cookie.
    pub async fn login(&self, subdomain: &str, user: &str) -> String {
        let password = dashboard::seed::USERS
            .iter()
            .find(|u| u.1 == user)
            .map(|u| u.2)
            .expect("a demo user");
        let page = self
            .post(
                subdomain,
                "/login",
                None,
                &format!("username={user}&password={password}"),
            )
            .await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "{user} logs in: {page:?}"
        );
        page.cookie.expect("a session cookie")
    }

    /// Every audit event so far, whole. Read off the runtime's worker thread
    /// (the MySQL sink blocks on a runtime of its own).
    pub fn audit_events(&self) -> Vec<tenant_diesel::audit::AuditEvent> {
        tokio::task::block_in_place(|| self.server.audit_log.events())
            .expect("the audit log reads back")
    }

    /// Every audit event so far: (tenant id, actor, action, target, detail).
    pub fn audit(&self) -> Vec<Event> {
        self.audit_events()
            .into_iter()
            .map(|e| {
                (
                    e.tenant.and_then(|t| t.as_integer()),
                    e.actor.to_string(),
                    e.action,
                    e.target_id,
                    e.detail,
                )
            })
            .collect()
    }
}

/// Generates one `#[tokio::test]` per suite check, each on a server from `$start`.
#[macro_export]
macro_rules! http_suite {
    ($start:path) => {
        $crate::http_suite!(@tests $start;
            each_tenant_sees_only_its_rows,
            tampered_account_id_selects_nothing_and_is_audited,
            non_member_goes_to_no_access,
            bad_hosts_unknown_tenants_and_the_apex,
            anonymous_expired_and_forged_sessions,
            session_state_and_summary_are_per_tenant,
            staff_admin_page_is_audited_and_staff_only,
            thousand_concurrent_requests_never_cross_tenants,
            password_checks_are_bounded_and_of_one_cost,
            every_answer_is_private_unframed_and_unsniffed,
            cross_origin_posts_are_refused,
            duplicated_session_cookies_are_refused,
            session_cookie_is_host_prefixed_when_secure,
            logout_on_a_bad_host_ends_no_session,
            admin_and_www_pages_only_on_the_exact_www_host,
            failed_logins_are_throttled_per_account,
            failed_logins_are_throttled_per_source,
            every_refusal_login_and_logout_is_audited_with_its_source,
            a_flood_of_refusals_is_logged_only_up_to_the_limit,
        );
    };
    (@tests $start:path; $($name:ident,)*) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            let harness = $start().await;
            common::suite::$name(&harness).await;
        }
    )*};
}
