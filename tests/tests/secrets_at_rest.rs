//! Signing secrets and tokens never reach the disk in clear, and the main key can be rotated.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use hookshape::server::{self, Server};
use hookshape_tests::app::test_config;
use hookshape_tests::receiver::TestReceiver;
use serde_json::{Value, json};

const SECRET: &str = "whsec_c2VhbGVkLWF0LXJlc3Qtc2VjcmV0LTEyMzQ1Njc4";
const HEADER: &str = "Bearer static-header-credential-5d2e";

async fn start(dir: &Path) -> Server {
    let mut config = test_config(dir);
    config.token = None;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    server::start(config, listener).await.expect("starts")
}

async fn call(
    server: &Server,
    token: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Value {
    let client = reqwest::Client::new();
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = client
        .request(method, format!("http://{}{path}", server.addr))
        .bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.expect("request");
    assert!(r.status().is_success(), "{path}: {}", r.status());
    r.json().await.unwrap_or(Value::Null)
}

/// Every file under `dir` that contains `needle`. The embedded store's journal holds its
/// records as written (the URL check below shows the search sees them).
fn files_containing(dir: &Path, needle: &[u8]) -> Vec<String> {
    let mut hits = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(
                std::fs::read_dir(&path)
                    .expect("read_dir")
                    .map(|e| e.expect("entry").path()),
            );
        } else if let Ok(bytes) = std::fs::read(&path)
            && bytes.windows(needle.len()).any(|w| w == needle)
        {
            hits.push(path.display().to_string());
        }
    }
    hits
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_and_tokens_are_not_stored_in_clear_and_the_key_rotates() {
    let rx = TestReceiver::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let server = start(dir.path()).await;
    let admin = server.new_token.clone().expect("a generated admin token");
    call(
        &server,
        &admin,
        "POST",
        "/v1/workspaces",
        Some(json!({"id": "acme", "name": "Acme"})),
    )
    .await;
    let made = call(
        &server,
        &admin,
        "POST",
        "/v1/tokens",
        Some(json!({"name": "acme manager", "role": "manager", "workspace": "acme"})),
    )
    .await;
    let manager = made["token"].as_str().expect("token").to_owned();
    let sub = call(
        &server,
        &manager,
        "POST",
        "/v1/subscriptions",
        Some(
            json!({"url": rx.url("/hook"), "events": ["*"], "secret": SECRET,
            "headers": {"Authorization": HEADER}}),
        ),
    )
    .await;
    let sub_id = sub["id"].as_str().expect("id").to_owned();
    call(
        &server,
        &admin,
        "POST",
        "/v1/workspaces/acme/events",
        Some(json!({"type": "a.b", "object": {}})),
    )
    .await;
    rx.wait_for(1, Duration::from_secs(10)).await;
    server.shutdown().await;

    // What is stored in clear is found (so the search below can find things).
    assert!(!files_containing(dir.path(), rx.url("/hook").as_bytes()).is_empty());
    for needle in [SECRET, HEADER, admin.as_str(), manager.as_str()] {
        let hits = files_containing(dir.path(), needle.as_bytes());
        assert!(hits.is_empty(), "found in clear in {hits:?}");
    }
    let old_key = std::fs::read_to_string(dir.path().join("main.key")).expect("main.key");

    // Rotate with the server stopped; the secret still opens, with the new key only.
    let rotated = Command::new(env!("CARGO_BIN_EXE_hookshape-cli"))
        .args(["keys", "rotate", "--data-dir"])
        .arg(dir.path())
        .env_remove("HOOKSHAPE_MAIN_KEY")
        .output()
        .expect("keys rotate");
    assert!(
        rotated.status.success(),
        "{}",
        String::from_utf8_lossy(&rotated.stderr)
    );
    assert!(String::from_utf8_lossy(&rotated.stdout).contains("resealed 1"));
    let new_key = std::fs::read_to_string(dir.path().join("main.key")).expect("main.key");
    assert_ne!(old_key, new_key);
    // The store refuses to open with the old key: it cannot open the secrets.
    let old_only = hookshape::store::Store::open_with_key(dir.path(), Some(&old_key)).await;
    match old_only {
        Ok(_) => panic!("the old key must not open the store"),
        Err(e) => assert!(e.to_string().contains("unreadable"), "{e}"),
    }

    // A lost admin token is replaced, not shown: the old one stops working.
    let reset = Command::new(env!("CARGO_BIN_EXE_hookshape-cli"))
        .args(["token", "reset", "--data-dir"])
        .arg(dir.path())
        .output()
        .expect("token reset");
    assert!(
        reset.status.success(),
        "{}",
        String::from_utf8_lossy(&reset.stderr)
    );
    let printed = String::from_utf8_lossy(&reset.stdout);
    let new_admin = printed
        .split_whitespace()
        .last()
        .expect("the new token")
        .to_owned();
    assert!(new_admin.starts_with("hks_"), "{printed}");

    let server = start(dir.path()).await;
    assert!(server.new_token.is_none());
    let client = reqwest::Client::new();
    let old = client
        .get(format!("http://{}/v1/workspaces", server.addr))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("request");
    assert_eq!(old.status(), 401);
    call(&server, &new_admin, "GET", "/v1/workspaces", None).await;
    let revealed = call(
        &server,
        &manager,
        "GET",
        &format!("/v1/subscriptions/{sub_id}/secret"),
        None,
    )
    .await;
    assert_eq!(revealed["secret"], SECRET);
    server.shutdown().await;
}
