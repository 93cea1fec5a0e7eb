//! `hookshape listen --forward-to` and `hookshape trigger`, run as a developer runs them: the
//! command relays a server's signed deliveries to an app on this machine (a real HTTP
//! receiver), the server records what the app answered, and the temporary subscription is gone
//! after Ctrl-C, or at the next start after a kill -9.

use std::io::BufRead;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use hookshape_tests::app::{TOKEN, TestApp};
use hookshape_tests::child::free_port;
use hookshape_tests::cli::{json_of, run_against};
use hookshape_tests::receiver::TestReceiver;
use hookshape_tests::verify::standard_signature_ok;
use serde_json::{Value, json};

const CLI: &str = env!("CARGO_BIN_EXE_hookshape-cli");

/// A running `listen`: its process, its subscription and secret, and its output lines.
struct Listen {
    child: Child,
    subscription: String,
    secret: String,
    stdout: mpsc::Receiver<String>,
    stderr: mpsc::Receiver<String>,
}

fn lines_of(pipe: impl std::io::Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Starts `listen --forward-to` and waits for it to be ready; `seen` gets the lines it
/// printed before.
fn start_listen(base: &str, cache: &std::path::Path, to: &str, seen: &mut Vec<String>) -> Listen {
    let mut child = Command::new(CLI)
        .args(["listen", "--forward-to", to, "--events", "member.*"])
        .env("HOOKSHAPE_URL", base)
        .env("HOOKSHAPE_TOKEN", TOKEN)
        .env("HOOKSHAPE_CACHE_DIR", cache)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn listen");
    let stdout = lines_of(child.stdout.take().expect("stdout"));
    let stderr = lines_of(child.stderr.take().expect("stderr"));
    let (mut subscription, mut secret) = (String::new(), String::new());
    loop {
        let line = stderr
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("listen never got ready: {seen:?}"));
        if let Some(rest) = line.strip_prefix("subscription ") {
            let (id, s) = rest.split_once(", signing secret ").expect("id and secret");
            (subscription, secret) = (id.to_owned(), s.to_owned());
        }
        let ready = line.starts_with("ready");
        seen.push(line);
        if ready {
            break;
        }
    }
    assert!(
        subscription.starts_with("sub_") && secret.starts_with("whsec_"),
        "{seen:?}"
    );
    Listen {
        child,
        subscription,
        secret,
        stdout,
        stderr,
    }
}

fn signal(child: &Child, name: &str) {
    let sent = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
}

async fn delivery_of(app: &TestApp, event: &str, until: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..200 {
        if let Some(d) = app.deliveries(event).await.into_iter().find(|d| until(d)) {
            return d;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "no such delivery of {event}: {:?}",
        app.deliveries(event).await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listen_forwards_signed_deliveries_to_a_local_app_and_removes_its_subscription_on_ctrl_c() {
    let app = TestApp::spawn().await;
    let cache = tempfile::tempdir().expect("tempdir");
    let local_app = TestReceiver::start().await;
    let created = app
        .call(
            "POST",
            "/v1/event-types",
            Some(
                json!({"name": "member.updated", "description": "A member changed",
                        "example": {"id": "m_1", "name": "Ada"}}),
            ),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);

    let mut seen = Vec::new();
    let mut listen = start_listen(&app.base, cache.path(), &local_app.url("/hook"), &mut seen);
    let sub = app
        .call(
            "GET",
            &format!("/v1/subscriptions/{}", listen.subscription),
            None,
        )
        .await;
    assert_eq!(
        sub.body["url"].as_str().map(|u| u.starts_with("listen:")),
        Some(true)
    );
    assert_eq!(
        sub.body["live"], false,
        "test events by default: {:?}",
        sub.body
    );

    // `trigger` sends the catalog's example as a test event.
    let out = run_against(
        CLI,
        &app.base,
        TOKEN,
        &["trigger", "member.updated", "--json"],
    )
    .await;
    let event = json_of(&out);
    let event_id = event["id"].as_str().expect("event id").to_owned();

    let got = local_app.wait_for(1, Duration::from_secs(20)).await;
    let request = &got[0];
    assert_eq!(request.path, "/hook");
    let header = |name: &str| request.header(name).unwrap_or_else(|| panic!("{name}"));
    assert!(
        standard_signature_ok(
            &listen.secret,
            header("webhook-id"),
            header("webhook-timestamp"),
            &request.body,
            header("webhook-signature"),
        ),
        "the app gets the request as signed: {:?}",
        request.headers
    );
    let body: Value = serde_json::from_str(&request.body).expect("json body");
    assert_eq!(body["type"], "member.updated");
    assert_eq!(body["data"]["name"], "Ada", "{body}");

    let line = listen
        .stdout
        .recv_timeout(Duration::from_secs(10))
        .expect("a line per delivery");
    assert!(
        line.contains("member.updated")
            && line.contains("→ 200")
            && line.contains("signature valid"),
        "{line}"
    );
    let delivery = delivery_of(&app, &event_id, |d| d["status"] == "succeeded").await;
    assert_eq!(delivery["attempts"], 1, "{delivery}");
    let health = app
        .call(
            "GET",
            &format!("/v1/subscriptions/{}", listen.subscription),
            None,
        )
        .await
        .body["health"]
        .clone();
    assert_eq!(health["lastHour"]["attempts"], 1, "{health}");
    assert_eq!(health["lastHour"]["successRate"], 1.0, "{health}");
    assert!(health.get("lastFailure").is_none(), "{health}");

    // Ctrl-C: the subscription and the remembered state are gone, and the command ends well.
    signal(&listen.child, "INT");
    let status = listen.child.wait().expect("wait");
    assert!(status.success(), "{status:?}");
    let gone = app
        .call(
            "GET",
            &format!("/v1/subscriptions/{}", listen.subscription),
            None,
        )
        .await;
    assert_eq!(gone.status, 404);
    assert!(
        !cache.path().join("listen/default.json").exists(),
        "nothing is left to clean up"
    );
    let said: Vec<String> = listen.stderr.try_iter().collect();
    assert!(
        said.iter()
            .any(|l| l.contains(&format!("removed subscription {}", listen.subscription))),
        "{said:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_that_is_down_is_recorded_in_words_and_a_killed_listen_is_cleaned_up_at_the_next_start()
 {
    let app = TestApp::spawn().await;
    let cache = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let to = format!("http://127.0.0.1:{port}/hook");
    let mut seen = Vec::new();
    let mut first = start_listen(&app.base, cache.path(), &to, &mut seen);

    // No app listens on the port: the attempt fails with the reason a person reads.
    let out = run_against(
        CLI,
        &app.base,
        TOKEN,
        &[
            "trigger",
            "member.created",
            "--object",
            r#"{"id": "m_2"}"#,
            "--json",
        ],
    )
    .await;
    let event_id = json_of(&out)["id"].as_str().expect("id").to_owned();
    let failed = delivery_of(&app, &event_id, |d| d["attempts"].as_u64() >= Some(1)).await;
    assert_eq!(
        failed["lastError"].as_str(),
        Some(format!("connection refused by 127.0.0.1:{port}").as_str()),
        "{failed}"
    );
    let health = app
        .call(
            "GET",
            &format!("/v1/subscriptions/{}", first.subscription),
            None,
        )
        .await
        .body["health"]
        .clone();
    assert_eq!(health["lastDay"]["succeeded"], 0, "{health}");
    assert_eq!(
        health["lastFailure"]["error"].as_str(),
        Some(format!("connection refused by 127.0.0.1:{port}").as_str()),
        "the subscription's health says the last failure in words: {health}"
    );
    let line = first
        .stdout
        .recv_timeout(Duration::from_secs(10))
        .expect("a line");
    assert!(line.contains("failed: connection refused"), "{line}");

    // kill -9 leaves the subscription; the next start removes it before making its own.
    first.child.kill().expect("kill -9");
    first.child.wait().expect("wait");
    let left = app
        .call(
            "GET",
            &format!("/v1/subscriptions/{}", first.subscription),
            None,
        )
        .await;
    assert_eq!(left.status, 200, "a killed listen cannot clean up");
    let mut seen = Vec::new();
    let mut second = start_listen(&app.base, cache.path(), &to, &mut seen);
    assert!(
        seen.iter()
            .any(|l| l.contains(&format!("removed subscription {}", first.subscription))),
        "{seen:?}"
    );
    let old = app
        .call(
            "GET",
            &format!("/v1/subscriptions/{}", first.subscription),
            None,
        )
        .await;
    assert_eq!(old.status, 404);
    assert_ne!(second.subscription, first.subscription);

    signal(&second.child, "TERM");
    assert!(second.child.wait().expect("wait").success());
    let all = app.call("GET", "/v1/subscriptions", None).await;
    assert_eq!(all.body["data"], json!([]), "{:?}", all.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trigger_says_in_one_line_what_it_cannot_send() {
    let app = TestApp::spawn().await;
    let out = run_against(CLI, &app.base, TOKEN, &["trigger", "no.such"]).await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("`no.such` is not in the catalog"), "{err}");

    app.call(
        "POST",
        "/v1/event-types",
        Some(json!({"name": "invoice.paid", "description": "Paid"})),
    )
    .await;
    let out = run_against(CLI, &app.base, TOKEN, &["trigger", "invoice.paid"]).await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("has no example"), "{err}");

    // A listen session's endpoints refuse what is not theirs to take.
    let bad = app.call("GET", "/v1/listen/not%20ok?wait=0", None).await;
    assert_eq!(bad.status, 422, "{:?}", bad.body);
    let none = app
        .call("POST", "/v1/listen/s1/01abc", Some(json!({"status": 200})))
        .await;
    assert_eq!(none.status, 404, "{:?}", none.body);
    let neither = app
        .call("POST", "/v1/listen/s1/01abc", Some(json!({})))
        .await;
    assert_eq!(neither.status, 422, "{:?}", neither.body);
}
