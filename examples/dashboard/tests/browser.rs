//! End to end in a real browser: headless Chromium (Debian's `chromium`), driven
//! over WebDriver by `chromedriver` (Debian's `chromium-driver`) on a loopback
//! port, through the `fantoccini` client.
//!
//! Alice logs in on acme.localhost and sees Acme's accounts, selects one and sees
//! it selected; on contoso.localhost she gets the no-access page; bob logs in
//! there and sees Contoso's accounts. Screenshots go to
//! `target/dashboard-e2e/`. A missing browser or driver fails the test with the
//! command that installs them; it never skips.
//!
//! Every step waits, within a bound, for the page it leads to: an action that
//! navigates waits until the page it started on is gone (its root element is a
//! stale reference) and then for a marker element of the new page; elements are
//! found again after every navigation, and a read that meets a stale reference
//! finds its element again. The driver and its browser run in a process group
//! of their own inside this test's run directory, ended when the test ends,
//! passes or panics, and by the next run if this one was killed.

mod common;

use std::future::Future;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{config, ACME, CONTOSO};
use dashboard::config::Database;
use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use tenant_diesel_tests::process::{ProcessGuard, RunDir};

const INSTALL: &str =
    "install them with `apt-get install chromium chromium-driver` (scripts/install-deps.sh does)";

/// How long one step may wait for the page it needs: generous, because a loaded
/// two-core machine can take seconds to render a page, and bounded, so a broken
/// page fails the test instead of hanging it.
const STEP: Duration = Duration::from_secs(45);

/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(100);

/// `name` from `env`, on `PATH`, or in `/usr/bin`.
fn find_binary(name: &str, env: &str) -> PathBuf {
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

/// Runs one WebDriver command, failing the test if it does not answer within a
/// step: the client itself has no timeout, and a wedged driver must not hang CI.
async fn within<T>(what: &str, command: impl Future<Output = Result<T, CmdError>>) -> T {
    match tokio::time::timeout(STEP, command).await {
        Ok(Ok(value)) => value,
        Ok(Err(e)) => panic!("webdriver {what}: {e}"),
        Err(_) => panic!("webdriver {what}: no answer in {STEP:?}"),
    }
}

/// Whether `error` says the element is not (or no longer) on the current page:
/// the cases a wait looks again for. Besides the standard "stale element
/// reference" and "no such element", chromedriver answers a read of a node whose
/// document is being replaced with an "unknown error" from its inspector ("Node
/// with given id does not belong to the document"): the same fact, seen mid-
/// navigation. The soak (`scripts/soak.sh`) met it once in 20 rounds.
fn is_gone(error: &CmdError) -> bool {
    error.is_stale_element_reference()
        || error.is_no_such_element()
        || matches!(error, CmdError::Standard(e)
            if e.error == fantoccini::error::ErrorStatus::UnknownError
                && (e.message.contains("does not belong to the document")
                    || e.message.contains("No node with given id")))
}

/// A WebDriver session on a headless Chromium, with waits for every step.
struct Browser {
    client: Client,
}

impl Browser {
    /// Polls `check` until it gives `Some`, for at most a step; a stale or
    /// missing element is looked for again, any other error fails the test.
    async fn wait_until<T, F, Fut>(&self, what: &str, mut check: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Option<T>, CmdError>>,
    {
        let deadline = Instant::now() + STEP;
        loop {
            let last = match tokio::time::timeout(STEP, check()).await {
                Ok(Ok(Some(value))) => return value,
                Ok(Ok(None)) => "not yet".to_owned(),
                Ok(Err(e)) if is_gone(&e) => e.to_string(),
                Ok(Err(e)) => panic!("webdriver, waiting for {what}: {e}"),
                Err(_) => format!("no answer in {STEP:?}"),
            };
            if Instant::now() >= deadline {
                let url = self.client.current_url().await.map(|u| u.to_string());
                let source = self.client.source().await.unwrap_or_default();
                panic!("waited {STEP:?} for {what} ({last}) on {url:?}:\n{source}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The element `css` selects on the current page, once it is there.
    async fn element(&self, css: &str) -> Element {
        self.wait_until(&format!("`{css}`"), || async {
            self.client.find(Locator::Css(css)).await.map(Some)
        })
        .await
    }

    /// The text of `css` on the current page; found again if a re-render
    /// replaced the element between finding and reading it.
    async fn text(&self, css: &str) -> String {
        self.wait_until(&format!("the text of `{css}`"), || async {
            let element = self.client.find(Locator::Css(css)).await?;
            element.text().await.map(Some)
        })
        .await
    }

    /// Waits until the text of `css` contains `expected`.
    async fn wait_for_text(&self, css: &str, expected: &str) {
        self.wait_until(&format!("`{css}` to contain {expected:?}"), || async {
            let element = self.client.find(Locator::Css(css)).await?;
            let text = element.text().await?;
            Ok(text.contains(expected).then_some(()))
        })
        .await
    }

    /// Waits until the current document has finished loading, so that its
    /// source is the whole page and not what was parsed so far.
    async fn wait_loaded(&self) {
        self.wait_until("the page to finish loading", || async {
            let state = self
                .client
                .execute("return document.readyState", Vec::new())
                .await?;
            Ok((state == "complete").then_some(()))
        })
        .await
    }

    /// The current page's HTML.
    async fn source(&self) -> String {
        within("source", self.client.source()).await
    }

    /// Opens `url` and waits for `marker` on the page it lands on.
    async fn open(&self, url: &str, marker: &str) {
        within(&format!("goto {url}"), self.client.goto(url)).await;
        self.element(marker).await;
        self.wait_loaded().await;
    }

    /// Does `act` (a click or a submit that loads another page) and waits until
    /// the page it was done on is gone and `marker` is on the new one, so that
    /// nothing after it can read the old page.
    async fn navigate<Fut>(&self, what: &str, act: impl FnOnce() -> Fut, marker: &str)
    where
        Fut: Future<Output = ()>,
    {
        let old_page = self.element("html").await;
        act().await;
        self.wait_until(&format!("{what} to leave the page"), || async {
            match old_page.tag_name().await {
                Ok(_) => Ok(None),
                Err(e) if is_gone(&e) => Ok(Some(())),
                Err(e) => Err(e),
            }
        })
        .await;
        self.element(marker).await;
        self.wait_loaded().await;
    }

    /// Clicks `css` on the current page.
    async fn click(&self, css: &str) {
        let element = self.element(css).await;
        within(&format!("click {css}"), element.click()).await;
    }

    /// Types `text` into the field `css`.
    async fn type_into(&self, css: &str, text: &str) {
        let element = self.element(css).await;
        within(&format!("type into {css}"), element.send_keys(text)).await;
    }

    /// Logs in on the login page that is open, and waits for `marker` on the
    /// page the login leads to.
    async fn login(&self, user: &str, password: &str, marker: &str) {
        self.element("#login").await;
        self.type_into("#username", user).await;
        self.type_into("#password", password).await;
        self.navigate(&format!("{user}'s login"), || self.click("#login"), marker)
            .await;
    }

    async fn screenshot(&self, path: &Path) {
        let png = within("screenshot", self.client.screenshot()).await;
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }
}

/// A free loopback port, for the driver. Another process may take it before the
/// driver binds it: then the driver exits, and [`open_browser`] tries again.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `chromedriver` on a loopback port inside `run` and waits until it
/// answers; a port taken in the meantime is retried with another, a bounded
/// number of times.
async fn start_driver(run: &RunDir) -> (ProcessGuard, String) {
    let chromedriver = find_binary("chromedriver", "CHROMEDRIVER");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let mut failures = Vec::new();
    for _attempt in 0..5 {
        let port = free_port();
        let mut command = Command::new(&chromedriver);
        command
            .arg(format!("--port={port}"))
            // Naming the run directory in its command line lets a later run's
            // sweep find a driver this run could not end.
            .arg(format!(
                "--log-path={}",
                run.path().join("chromedriver.log").display()
            ))
            // Chromium keeps its crash database under the configuration
            // directory, and its crash handlers leave the process group: kept in
            // the run directory, their command lines name it too.
            .env("XDG_CONFIG_HOME", run.path().join("config"))
            .env("XDG_CACHE_HOME", run.path().join("cache"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut driver = ProcessGuard::spawn(command, run, "chromedriver")
            .unwrap_or_else(|e| panic!("cannot run {}: {e}; {INSTALL}", chromedriver.display()));
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + STEP;
        while Instant::now() < deadline && driver.is_running() {
            if let Ok(response) = http.get(format!("{base}/status")).send().await {
                if response.status().is_success() {
                    return (driver, base);
                }
            }
            tokio::time::sleep(POLL).await;
        }
        let log = std::fs::read_to_string(run.path().join("chromedriver.log")).unwrap_or_default();
        failures.push(format!(
            "port {port}: {}",
            log.lines().last().unwrap_or("no log")
        ));
    }
    panic!("chromedriver did not start: {failures:#?}")
}

/// Starts `chromedriver` and opens a headless Chromium session with a fresh
/// profile inside `run`. The flags keep a machine without internet quiet: no
/// sync, component updates, background networking or QUIC.
async fn open_browser(run: &RunDir) -> (ProcessGuard, Browser) {
    let chromium = find_binary("chromium", "CHROMIUM");
    let (driver, base) = start_driver(run).await;
    let args = [
        "--headless".to_owned(),
        "--no-sandbox".to_owned(),
        "--disable-gpu".to_owned(),
        "--disable-quic".to_owned(),
        "--no-first-run".to_owned(),
        "--disable-background-networking".to_owned(),
        "--disable-component-update".to_owned(),
        "--disable-sync".to_owned(),
        "--disable-crash-reporter".to_owned(),
        "--disable-breakpad".to_owned(),
        "--disable-dev-shm-usage".to_owned(),
        "--no-proxy-server".to_owned(),
        "--window-size=900,560".to_owned(),
        format!("--user-data-dir={}", run.path().join("profile").display()),
    ];
    let capabilities = json!({
        "browserName": "chrome",
        // Page loads may be slow on a loaded machine; a command that waits for
        // one still ends.
        "timeouts": { "pageLoad": STEP.as_millis() as u64, "script": 30_000, "implicit": 0 },
        "goog:chromeOptions": { "binary": chromium.to_str().unwrap(), "args": args }
    });
    let serde_json::Value::Object(capabilities) = capabilities else {
        unreachable!("an object")
    };
    let connect = ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&base)
        .await;
    let client = match connect {
        Ok(client) => client,
        Err(e) => panic!("chromium did not start through chromedriver: {e}; {INSTALL}"),
    };
    (driver, Browser { client })
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
    let run = RunDir::create("tenant-diesel-browser-").expect("a run directory");
    let (_driver, browser) = open_browser(&run).await;
    let out = artifacts();

    // Alice on acme.localhost: the login page, then Acme's accounts.
    browser.open(&acme, "#login").await;
    browser
        .login("alice", password("alice"), "#tenant-name")
        .await;
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
    browser
        .navigate(
            "selecting Hooli",
            || browser.click("#select-3"),
            "#selected",
        )
        .await;
    browser.wait_for_text("#selected", "Hooli").await;
    browser.screenshot(&out.join("dashboard.png")).await;

    // contoso.localhost as alice: she is not a member.
    browser.open(&contoso, "#login").await;
    browser
        .login("alice", password("alice"), "#no-access")
        .await;
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
    browser
        .navigate("switching user", || browser.click("#switch-user"), "#login")
        .await;
    browser.login("bob", password("bob"), "#tenant-name").await;
    assert_eq!(browser.text("#tenant-name").await, "Contoso Ltd");
    let page = browser.source().await;
    for name in CONTOSO {
        assert!(page.contains(name), "bob sees {name}");
    }
    for name in ACME {
        assert!(!page.contains(name), "bob never sees {name}");
    }
    browser.screenshot(&out.join("contoso.png")).await;
    within("closing the session", browser.client.close()).await;
    eprintln!("screenshots in {}", out.display());
}
