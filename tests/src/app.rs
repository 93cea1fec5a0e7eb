//! A real hookshape server on `127.0.0.1:0` with a temporary sled directory, and a small
//! client for its API.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use hookshape::config::ServeConfig;
use hookshape::dispatch::RetryPolicy;
use hookshape::server::{self, Server};
use serde_json::{Value, json};

pub const TOKEN: &str = "test-token";

/// One plugin cache per test process, so each plugin compiles once, not once per server.
fn shared_cache() -> PathBuf {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("tempdir"))
        .path()
        .to_path_buf()
}

/// Test settings: loopback allowed, http allowed, fast retries without jitter.
pub fn test_config(dir: &std::path::Path) -> ServeConfig {
    ServeConfig {
        listen: "127.0.0.1:0".parse().expect("addr"),
        data_dir: dir.to_path_buf(),
        plugin_cache_dir: Some(shared_cache()),
        token: Some(TOKEN.into()),
        allow_http: true,
        allow_ips: vec!["127.0.0.1/32".parse().expect("net")],
        retry: RetryPolicy {
            schedule: vec![Duration::from_millis(100); 5],
            jitter: 0.0,
            max_retry_after: Duration::from_secs(60),
        },
        timeout: Duration::from_millis(500),
        max_instances: Some(64),
        // Circuits stay closed unless a test is about them: others count on retries running.
        circuit: hookshape::dispatch::CircuitConfig {
            failures: u32::MAX,
            ..Default::default()
        },
        ..ServeConfig::default()
    }
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub server: Option<Server>,
    pub dir: tempfile::TempDir,
}

/// A response: status and JSON body (`Null` when empty).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut ServeConfig)) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut config = test_config(dir.path());
        adjust(&mut config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let server = server::start(config, listener)
            .await
            .expect("server starts");
        TestApp {
            base: format!("http://{}", server.addr),
            client: reqwest::Client::new(),
            server: Some(server),
            dir,
        }
    }

    /// Stops the server and starts a new one on the same data directory (a restart).
    pub async fn restart(&mut self) {
        self.shutdown().await;
        // In one process the old server's last tasks may still hold the database (its lock
        // goes with its last handle) for a moment after shutdown; a new process never waits.
        let deadline = Instant::now() + Duration::from_secs(10);
        let server = loop {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            match server::start(test_config(self.dir.path()), listener).await {
                Err(server::StartError::Store(hookshape::store::StoreError::Locked(_)))
                    if Instant::now() < deadline =>
                {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                other => break other.expect("server restarts"),
            }
        };
        self.base = format!("http://{}", server.addr);
        self.server = Some(server);
    }

    pub async fn shutdown(&mut self) {
        if let Some(s) = self.server.take() {
            s.shutdown().await;
        }
    }

    pub async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Reply {
        self.call_with(method, path, body, Some(TOKEN), &[]).await
    }

    pub async fn call_with(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        token: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        reply(req.send().await.expect("request")).await
    }

    /// Creates workspace `id` (under `parent`), as the admin.
    pub async fn create_workspace(&self, id: &str, parent: Option<&str>) {
        let r = self
            .call(
                "POST",
                "/v1/workspaces",
                Some(serde_json::json!({"id": id, "name": id, "parent": parent})),
            )
            .await;
        assert_eq!(r.status, 201, "{r:?}");
    }

    /// Makes a token of `role` (in workspace `ws`), as the admin, and returns its secret.
    pub async fn create_token(&self, role: &str, ws: Option<&str>) -> String {
        let r = self
            .call(
                "POST",
                "/v1/tokens",
                Some(serde_json::json!({"name": format!("{role} of {ws:?}"), "role": role, "workspace": ws})),
            )
            .await;
        assert_eq!(r.status, 201, "{r:?}");
        r.body["token"].as_str().expect("token").to_owned()
    }

    /// Creates a subscription in workspace `ws`, as the admin.
    pub async fn subscribe_in(&self, ws: &str, body: Value) -> Value {
        let r = self
            .call(
                "POST",
                &format!("/v1/workspaces/{ws}/subscriptions"),
                Some(body),
            )
            .await;
        assert_eq!(r.status, 201, "{r:?}");
        r.body
    }

    pub async fn upload(&self, plugin: &str) -> String {
        let bytes = crate::plugin_bytes(plugin);
        let r = self.upload_bytes(bytes).await;
        assert!(r.status == 201 || r.status == 200, "{r:?}");
        r.body["id"].as_str().expect("id").to_owned()
    }

    /// Uploads a plugin into a workspace (as the admin) and returns its id.
    pub async fn upload_in(&self, ws: &str, plugin: &str) -> String {
        let req = self
            .client
            .post(format!("{}/v1/workspaces/{ws}/plugins", self.base))
            .bearer_auth(TOKEN)
            .body(crate::plugin_bytes(plugin));
        let r = reply(req.send().await.expect("request")).await;
        assert!(r.status == 201 || r.status == 200, "{r:?}");
        r.body["id"].as_str().expect("id").to_owned()
    }

    pub async fn upload_bytes(&self, bytes: Vec<u8>) -> Reply {
        let req = self
            .client
            .post(format!("{}/v1/plugins", self.base))
            .bearer_auth(TOKEN)
            .body(bytes);
        reply(req.send().await.expect("request")).await
    }

    /// Creates a subscription and returns its JSON (secret included).
    pub async fn subscribe(&self, body: Value) -> Value {
        let r = self.call("POST", "/v1/subscriptions", Some(body)).await;
        assert_eq!(r.status, 201, "{r:?}");
        r.body
    }

    pub async fn publish(&self, body: Value) -> Value {
        let r = self.call("POST", "/v1/events", Some(body)).await;
        assert_eq!(r.status, 202, "{r:?}");
        r.body
    }

    /// The deliveries of an event.
    pub async fn deliveries(&self, event_id: &str) -> Vec<Value> {
        let r = self
            .call("GET", &format!("/v1/events/{event_id}/deliveries"), None)
            .await;
        assert_eq!(r.status, 200, "{r:?}");
        r.body["data"].as_array().cloned().unwrap_or_default()
    }

    /// Waits until the delivery's status is `status` and returns it with its attempt log.
    pub async fn wait_delivery(&self, delivery_id: &str, status: &str, within: Duration) -> Value {
        let deadline = Instant::now() + within;
        loop {
            let r = self
                .call("GET", &format!("/v1/deliveries/{delivery_id}"), None)
                .await;
            assert_eq!(r.status, 200, "{r:?}");
            if r.body["status"] == status {
                return r.body;
            }
            assert!(
                Instant::now() < deadline,
                "delivery {delivery_id} did not become {status} within {within:?}: {}",
                r.body
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The only delivery of an event, once it is `status`.
    pub async fn single_delivery(&self, event_id: &str, status: &str) -> Value {
        let deliveries = self.deliveries(event_id).await;
        assert_eq!(deliveries.len(), 1, "{deliveries:?}");
        let id = deliveries[0]["id"].as_str().expect("id").to_owned();
        self.wait_delivery(&id, status, Duration::from_secs(15))
            .await
    }
}

async fn reply(r: reqwest::Response) -> Reply {
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await.expect("body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| json!({ "raw": text }))
    };
    Reply {
        status,
        body,
        headers,
    }
}
