//! `hookshape serve` as an operator sees it: its help, and what it logs.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hookshape_tests::child::{free_port, wait_healthy};
use serde_json::json;

fn hookshape() -> Command {
    Command::new(env!("CARGO_BIN_EXE_hookshape-cli"))
}

#[test]
fn serve_help_names_the_token_variable_and_each_default_once() {
    let out = hookshape()
        .args(["serve", "--help"])
        .output()
        .expect("help");
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("HOOKSHAPE_TOKEN"), "{help}");
    assert!(help.contains("5s,30s,2m30s,12m30s,1h2m30s"), "{help}");
    let log_format = help
        .lines()
        .skip_while(|l| !l.contains("--log-format"))
        .take_while(|l| !l.trim_start().starts_with("-h"))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(log_format.matches("default").count(), 1, "{log_format}");
    let bad = hookshape()
        .args(["serve", "--allow-ip", "not-an-ip"])
        .output()
        .expect("run");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("neither an IP address nor a network"));
}

/// Failed attempts are logged at warn, exhausted deliveries at error, with ids and reasons
/// but no secret or body, and without colours when stderr is not a terminal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_deliveries_are_logged_without_secrets() {
    let port = free_port();
    let closed = free_port();
    let data = tempfile::tempdir().expect("tempdir");
    let child = hookshape()
        .arg("serve")
        .arg("--data-dir")
        .arg(data.path())
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--allow-http", "--allow-ip", "127.0.0.1"])
        .args(["--retry-schedule", "50ms,50ms"])
        .env("HOOKSHAPE_TOKEN", "log-token")
        .env("HOOKSHAPE_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    wait_healthy(&client, &base).await;
    let secret = "whsec_bG9nLXRlc3Qtc2VjcmV0LWRvLW5vdC1wcmludA==";
    let r = client
        .post(format!("{base}/v1/subscriptions"))
        .bearer_auth("log-token")
        .json(&json!({"url": format!("http://127.0.0.1:{closed}/x"), "events": ["*"], "secret": secret}))
        .send()
        .await
        .expect("subscribe");
    assert_eq!(r.status(), 201);
    let r = client
        .post(format!("{base}/v1/events"))
        .bearer_auth("log-token")
        .json(&json!({"id": "evt_log", "type": "member.created", "object": {"marker": "body-marker-7"}}))
        .send()
        .await
        .expect("publish");
    assert_eq!(r.status(), 202);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let list: serde_json::Value = client
            .get(format!("{base}/v1/events/evt_log/deliveries"))
            .bearer_auth("log-token")
            .send()
            .await
            .expect("deliveries")
            .json()
            .await
            .expect("json");
        if list["data"][0]["status"] == "failed" {
            break;
        }
        assert!(Instant::now() < deadline, "{list}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let pid = child.id().to_string();
    Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    let out = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("join")
        .expect("wait");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        log.contains("WARN") && log.contains("delivery attempt failed"),
        "{log}"
    );
    assert!(
        log.contains("ERROR") && log.contains("no retries left"),
        "{log}"
    );
    assert!(log.contains("evt_log") || log.contains("dlv_"), "{log}");
    assert!(
        !log.contains(secret) && !log.contains("body-marker-7"),
        "{log}"
    );
    assert!(
        !log.contains('\u{1b}'),
        "colours in a log that is not a terminal"
    );
}
