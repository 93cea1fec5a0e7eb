//! A real headless Chromium driven over WebDriver (`chromedriver` from Debian's
//! `chromium-driver`): enough of the protocol to open pages, click, type, read and take
//! screenshots.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    client: reqwest::Client,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver on a free loopback port and opens a headless session.
    pub async fn start() -> Self {
        let port = crate::child::free_port();
        let driver =
            Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("chromedriver (Debian package chromium-driver; .ci/setup installs it)");
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("client");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = client.get(format!("{base}/status")).send().await
                && r.status().is_success()
            {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = tempfile::tempdir().expect("profile dir");
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,900", format!("--user-data-dir={}", profile.path().display())],
            },
        }}});
        let r: Value = client
            .post(format!("{base}/session"))
            .json(&caps)
            .send()
            .await
            .expect("new session")
            .json()
            .await
            .expect("json");
        let session = r["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {r}"))
            .to_owned();
        Browser {
            driver,
            base,
            session,
            client,
            _profile: profile,
        }
    }

    async fn command(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut req = self.client.request(method, url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r: Value = req
            .send()
            .await
            .expect("webdriver")
            .json()
            .await
            .expect("json");
        r["value"].clone()
    }

    pub async fn goto(&self, url: &str) {
        self.command(reqwest::Method::POST, "/url", Some(json!({"url": url})))
            .await;
    }

    /// Runs a script in the page and returns its value.
    pub async fn eval(&self, script: &str) -> Value {
        self.command(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
        .await
    }

    /// The text of the first element a selector finds; empty when none does.
    pub async fn text(&self, css: &str) -> String {
        self.eval(&format!(
            "const e = document.querySelector({}); return e ? e.textContent : null;",
            json!(css)
        ))
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    /// Waits until a script returns something truthy (or panics after `within`).
    pub async fn wait_for(&self, script: &str, within: Duration) -> Value {
        let deadline = Instant::now() + within;
        loop {
            let v = self.eval(script).await;
            let truthy = match &v {
                Value::Null | Value::Bool(false) => false,
                Value::String(s) => !s.is_empty(),
                Value::Number(n) => n.as_f64() != Some(0.0),
                Value::Object(o) => !o.contains_key("error"),
                Value::Array(_) | Value::Bool(true) => true,
            };
            if truthy {
                return v;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for `{script}`: {v}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The element a CSS selector finds first.
    pub async fn find(&self, css: &str) -> String {
        let v = self
            .command(
                reqwest::Method::POST,
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await;
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element `{css}`: {v}"))
            .to_owned()
    }

    /// Clicks the first element a selector finds (waiting up to 10 s for it).
    pub async fn click(&self, css: &str) {
        self.wait_for(&present(css), Duration::from_secs(10)).await;
        let id = self.find(css).await;
        let v = self
            .command(
                reqwest::Method::POST,
                &format!("/element/{id}/click"),
                Some(json!({})),
            )
            .await;
        assert!(v.is_null(), "click `{css}`: {v}");
    }

    /// Types into the first element a selector finds, after clearing it.
    pub async fn type_into(&self, css: &str, text: &str) {
        self.wait_for(&present(css), Duration::from_secs(10)).await;
        let id = self.find(css).await;
        self.command(
            reqwest::Method::POST,
            &format!("/element/{id}/clear"),
            Some(json!({})),
        )
        .await;
        let v = self
            .command(
                reqwest::Method::POST,
                &format!("/element/{id}/value"),
                Some(json!({"text": text})),
            )
            .await;
        assert!(v.is_null(), "type into `{css}`: {v}");
    }

    /// Accepts a `confirm()` the page opened.
    pub async fn accept_alert(&self) {
        self.command(reqwest::Method::POST, "/alert/accept", Some(json!({})))
            .await;
    }

    /// How many elements a selector finds.
    pub async fn count(&self, css: &str) -> u64 {
        self.eval(&format!(
            "return document.querySelectorAll({}).length",
            json!(css)
        ))
        .await
        .as_u64()
        .unwrap_or(0)
    }

    /// The page's width in CSS pixels and the width of its content (no sideways scroll
    /// when they are equal).
    pub async fn set_size(&self, width: u32, height: u32) {
        self.command(
            reqwest::Method::POST,
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        )
        .await;
    }

    /// A PNG of the viewport.
    pub async fn screenshot(&self) -> Vec<u8> {
        use base64::Engine;
        let v = self
            .command(reqwest::Method::GET, "/screenshot", None)
            .await;
        base64::engine::general_purpose::STANDARD
            .decode(v.as_str().expect("base64 png"))
            .expect("png")
    }
}

/// A script answering whether a selector finds a visible element.
pub fn present(css: &str) -> String {
    format!(
        "const e = document.querySelector({}); return !!e && e.offsetParent !== null;",
        json!(css)
    )
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ending the session closes the browser; then the driver goes.
        use std::io::{Read, Write};
        let addr = self.base.trim_start_matches("http://").to_owned();
        if let Ok(mut s) = std::net::TcpStream::connect(&addr) {
            let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
            let _ = write!(
                s,
                "DELETE /session/{} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                self.session
            );
            let _ = s.read_to_end(&mut Vec::new());
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
