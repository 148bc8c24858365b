//! End to end in a real browser: headless Chromium (Debian's `chromium`), driven
//! over WebDriver by `chromedriver` (Debian's `chromium-driver`) on a loopback
//! port, from a small WebDriver client written here over `reqwest` (a handful of
//! JSON calls: no browser download, no extra dependency tree).
//!
//! Alice logs in on acme.localhost and sees Acme's accounts, selects one and sees
//! it selected; on contoso.localhost she gets the no-access page; bob logs in
//! there and sees Contoso's accounts. Screenshots go to
//! `target/dashboard-e2e/`. A missing browser or driver fails the test with the
//! command that installs them; it never skips.

mod common;

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use common::{config, ACME, CONTOSO};
use dashboard::config::Database;
use serde_json::{json, Value};

const INSTALL: &str =
    "install them with `apt-get install chromium chromium-driver` (scripts/install-deps.sh does)";

/// The WebDriver element key.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// `name` on `PATH`, or in `/usr/bin`.
fn find(name: &str, env: &str) -> PathBuf {
    if let Some(path) = std::env::var_os(env) {
        return PathBuf::from(path);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/bin")])
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| panic!("`{name}` is not installed: {INSTALL}, or set {env}"))
}

/// A `chromedriver` process in a process group of its own, with the Chromium it
/// started: the whole group is killed when dropped, so a failed test leaves no
/// browser behind.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.0.wait();
    }
}

/// A WebDriver session.
struct Browser {
    http: reqwest::Client,
    session: String,
}

impl Browser {
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = if path.is_empty() {
            self.session.clone()
        } else {
            format!("{}/{path}", self.session)
        };
        let mut request = self.http.request(method, &url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("webdriver {path}: {e}"));
        let status = response.status();
        let value: Value = response.json().await.expect("a webdriver answer");
        assert!(status.is_success(), "webdriver {path}: {status} {value}");
        value["value"].clone()
    }

    async fn goto(&self, url: &str) {
        self.call(reqwest::Method::POST, "url", Some(json!({ "url": url })))
            .await;
    }

    async fn url(&self) -> String {
        self.call(reqwest::Method::GET, "url", None)
            .await
            .as_str()
            .unwrap()
            .to_owned()
    }

    async fn source(&self) -> String {
        self.call(reqwest::Method::GET, "source", None)
            .await
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The element `css` selects, waiting up to ten seconds for it.
    async fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let response = self
                .http
                .post(format!("{}/element", self.session))
                .json(&json!({ "using": "css selector", "value": css }))
                .send()
                .await
                .expect("webdriver element");
            if response.status().is_success() {
                let value: Value = response.json().await.unwrap();
                return value["value"][ELEMENT].as_str().unwrap().to_owned();
            }
            assert!(
                Instant::now() < deadline,
                "no `{css}` on {}:\n{}",
                self.url().await,
                self.source().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn text(&self, css: &str) -> String {
        let element = self.find(css).await;
        let text = self
            .call(
                reqwest::Method::GET,
                &format!("element/{element}/text"),
                None,
            )
            .await;
        text.as_str().unwrap().to_owned()
    }

    async fn click(&self, css: &str) {
        let element = self.find(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("element/{element}/click"),
            Some(json!({})),
        )
        .await;
    }

    async fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("element/{element}/value"),
            Some(json!({ "text": text })),
        )
        .await;
    }

    async fn login(&self, user: &str, password: &str) {
        self.find("#login").await;
        self.type_into("#username", user).await;
        self.type_into("#password", password).await;
        self.click("#login").await;
    }

    async fn screenshot(&self, path: &Path) {
        let png = self.call(reqwest::Method::GET, "screenshot", None).await;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap())
            .expect("a base64 PNG");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// Starts `chromedriver` on a free loopback port and opens a headless Chromium
/// session with a fresh profile. The flags keep a machine without internet quiet:
/// no sync, component updates, background networking or QUIC.
async fn open_browser(profile: &Path) -> (Driver, Browser) {
    let chromium = find("chromium", "CHROMIUM");
    let chromedriver = find("chromedriver", "CHROMEDRIVER");
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = Driver(
        Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}; {INSTALL}", chromedriver.display())),
    );
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(20);
    while http.get(format!("{base}/status")).send().await.is_err() {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not start on port {port}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let args = [
        "--headless".to_owned(),
        "--no-sandbox".to_owned(),
        "--disable-gpu".to_owned(),
        "--disable-quic".to_owned(),
        "--no-first-run".to_owned(),
        "--disable-background-networking".to_owned(),
        "--disable-component-update".to_owned(),
        "--disable-sync".to_owned(),
        "--disable-dev-shm-usage".to_owned(),
        "--no-proxy-server".to_owned(),
        "--window-size=900,560".to_owned(),
        format!("--user-data-dir={}", profile.display()),
    ];
    let capabilities = json!({
        "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium.to_str().unwrap(), "args": args }
        }}
    });
    let response = http
        .post(format!("{base}/session"))
        .json(&capabilities)
        .send()
        .await
        .expect("a webdriver session");
    let value: Value = response.json().await.unwrap();
    let id = value["value"]["sessionId"]
        .as_str()
        .unwrap_or_else(|| panic!("chromium did not start: {value}"))
        .to_owned();
    let browser = Browser {
        http,
        session: format!("{base}/session/{id}"),
    };
    (driver, browser)
}

fn password(user: &str) -> &'static str {
    dashboard::seed::USERS
        .iter()
        .find(|u| u.1 == user)
        .unwrap()
        .2
}

/// Where the screenshots go: `target/dashboard-e2e/`.
fn artifacts() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target directory")
        .join("dashboard-e2e")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alice_and_bob_in_a_real_browser() {
    let server = dashboard::start(config(Database::DemoSqlite, None))
        .await
        .expect("the dashboard starts");
    let acme = format!("{}/dashboard/", server.url("acme"));
    let contoso = format!("{}/dashboard/", server.url("contoso"));
    let profile = tempfile::tempdir().unwrap();
    let (_driver, browser) = open_browser(profile.path()).await;
    let out = artifacts();

    // Alice on acme.localhost: the login page, then Acme's accounts.
    browser.goto(&acme).await;
    browser.login("alice", password("alice")).await;
    assert_eq!(browser.text("#tenant-name").await, "Acme Corp");
    assert_eq!(browser.text("#plan").await, "pro");
    let page = browser.source().await;
    for name in ACME {
        assert!(page.contains(name), "alice sees {name}");
    }
    for name in CONTOSO {
        assert!(!page.contains(name), "alice on acme never sees {name}");
    }

    // She selects Hooli (#3) and sees it selected.
    browser.click("#select-3").await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while !browser.text("#selected").await.contains("Hooli") {
        assert!(Instant::now() < deadline, "Hooli is selected");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    browser.screenshot(&out.join("dashboard.png")).await;

    // contoso.localhost as alice: she is not a member.
    browser.goto(&contoso).await;
    browser.login("alice", password("alice")).await;
    assert_eq!(browser.text("#no-access").await, "No access");
    let page = browser.source().await;
    for name in CONTOSO.iter().chain(&ACME) {
        assert!(
            !page.contains(name),
            "the no-access page names no account ({name})"
        );
    }
    browser.screenshot(&out.join("no-access.png")).await;

    // Bob logs in there and sees Contoso's accounts only.
    browser.click("#switch-user").await;
    browser.login("bob", password("bob")).await;
    assert_eq!(browser.text("#tenant-name").await, "Contoso Ltd");
    let page = browser.source().await;
    for name in CONTOSO {
        assert!(page.contains(name), "bob sees {name}");
    }
    for name in ACME {
        assert!(!page.contains(name), "bob never sees {name}");
    }
    browser.screenshot(&out.join("contoso.png")).await;
    browser.call(reqwest::Method::DELETE, "", None).await;
    eprintln!("screenshots in {}", out.display());
}
