//! Hostile plugins and inputs against a real server: each fails only its own subscription's
//! work, with the reason recorded, and never the server or anyone else's deliveries.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hookshape_tests::app::TestApp;
use hookshape_tests::child::{free_port, wait_healthy};
use hookshape_tests::receiver::TestReceiver;
use serde_json::{Value, json};

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

async fn subscribe_misbehave(app: &TestApp, plugin: &str, url: &str, config: Value) -> Value {
    app.subscribe(json!({
        "url": url, "events": ["member.*"],
        "plugin": {"id": plugin, "config": config}
    }))
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plugin_failing_at_start_up_disables_only_its_subscription() {
    let rx = TestReceiver::start().await;
    let mut app = TestApp::spawn().await;
    let plugin = app.upload("misbehave").await;
    // Configures fine now, panics in `configure` once the clock passes `after`.
    let after = now_ms() + 1_500;
    let doomed = subscribe_misbehave(
        &app,
        &plugin,
        &rx.url("/doomed"),
        json!({"mode": "count", "configure": "panic-after", "after": after}),
    )
    .await;
    // Prints in `configure`: that must work wherever configure runs.
    let chatty = subscribe_misbehave(
        &app,
        &plugin,
        &rx.url("/chatty"),
        json!({"mode": "count", "configure": "print"}),
    )
    .await;
    let plain = app
        .subscribe(json!({"url": rx.url("/plain"), "events": ["member.*"]}))
        .await;
    tokio::time::sleep(Duration::from_millis(after.saturating_sub(now_ms()) + 100)).await;

    app.restart().await;

    let doomed_id = doomed["id"].as_str().expect("id");
    let shown = app
        .call("GET", &format!("/v1/subscriptions/{doomed_id}"), None)
        .await;
    assert_eq!(shown.status, 200, "{shown:?}");
    assert_eq!(shown.body["status"], "disabled", "{}", shown.body);
    let reason = shown.body["disabledReason"].as_str().unwrap_or_default();
    assert!(reason.contains("too late to configure"), "{reason}");
    for other in [&chatty, &plain] {
        let id = other["id"].as_str().expect("id");
        let r = app
            .call("GET", &format!("/v1/subscriptions/{id}"), None)
            .await;
        assert_eq!(r.body["status"], "enabled", "{}", r.body);
    }

    app.publish(json!({"type": "member.updated", "object": {"id": "m1"}}))
        .await;
    let got = rx.wait_for(2, Duration::from_secs(10)).await;
    let mut paths: Vec<&str> = got.iter().map(|r| r.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(paths, ["/chatty", "/plain"]);
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sleeping_plugins_are_stopped_at_their_limit_and_others_deliver() {
    let rx = TestReceiver::start().await;
    let app = TestApp::spawn().await;
    let plugin = app.upload("misbehave").await;
    // Four subscriptions whose plugin sleeps a minute in a host call, per event.
    let mut sleepers = Vec::new();
    for n in 0..4 {
        let sub = subscribe_misbehave(
            &app,
            &plugin,
            &rx.url(&format!("/sleepy{n}")),
            json!({"mode": "sleep", "sleepMs": 60_000}),
        )
        .await;
        sleepers.push(sub["id"].as_str().expect("id").to_owned());
    }
    app.subscribe(json!({"url": rx.url("/healthy"), "events": ["member.*"]}))
        .await;

    let started = Instant::now();
    let mut events = Vec::new();
    for n in 0..40 {
        let e = app
            .publish(json!({"type": "member.updated", "object": {"n": n}}))
            .await;
        events.push(e["id"].as_str().expect("id").to_owned());
    }
    // The healthy subscription gets every event while 160 sleeping calls are in progress.
    let got = rx.wait_for(40, Duration::from_secs(20)).await;
    assert!(got.iter().all(|r| r.path == "/healthy"), "{got:?}");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );

    // Each sleeping call was stopped at its 100 ms limit, recorded as a timeout.
    let deliveries = app.deliveries(&events[0]).await;
    for d in deliveries
        .iter()
        .filter(|d| sleepers.iter().any(|s| d["subscriptionId"] == s.as_str()))
    {
        let id = d["id"].as_str().expect("id");
        let deadline = Instant::now() + Duration::from_secs(10);
        let attempt = loop {
            let r = app.call("GET", &format!("/v1/deliveries/{id}"), None).await;
            if let Some(a) = r.body["attemptLog"].as_array().and_then(|a| a.first()) {
                break a.clone();
            }
            assert!(Instant::now() < deadline, "no attempt: {}", r.body);
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert_eq!(attempt["error"]["code"], "plugin_timeout", "{attempt}");
        let took = attempt["durationMs"].as_u64().expect("durationMs");
        assert!(took < 2_000, "a 100 ms limit let the call run {took} ms");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configure_that_sleeps_is_refused_at_its_limit() {
    let app = TestApp::spawn().await;
    let plugin = app.upload("misbehave").await;
    let started = Instant::now();
    let r = app
        .call(
            "POST",
            "/v1/subscriptions",
            Some(json!({
                "url": "http://127.0.0.1:9/x", "events": ["*"],
                "plugin": {"id": plugin, "config": {"mode": "count", "configure": "sleep", "sleepMs": 15_000}}
            })),
        )
        .await;
    assert_eq!(r.status, 422, "{r:?}");
    assert_eq!(r.body["code"], "invalid_plugin_config", "{r:?}");
    assert!(
        r.body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("time limit"),
        "{r:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_past_the_ceilings_are_refused() {
    let app = TestApp::spawn().await;
    let plugin = app.upload("passthrough").await;
    for limits in [
        json!({"timeoutMs": u64::MAX}),
        json!({"timeoutMs": 9_223_372_036_854_775_807u64}),
        json!({"timeoutMs": 0}),
        json!({"timeoutMs": 999_999_999}),
        json!({"memoryBytes": u64::MAX}),
        json!({"outputBytes": 1_000_000_000_000u64}),
        json!({"logBytes": u64::MAX}),
    ] {
        let r = app
            .call(
                "POST",
                "/v1/subscriptions",
                Some(json!({
                    "url": "http://127.0.0.1:9/x", "events": ["*"],
                    "plugin": {"id": plugin, "limits": limits}
                })),
            )
            .await;
        assert_eq!(r.status, 422, "{limits}: {r:?}");
        assert_eq!(r.body["code"], "invalid_limits", "{limits}: {r:?}");
        assert!(
            r.body["detail"]
                .as_str()
                .unwrap_or_default()
                .contains("allowed"),
            "{r:?}"
        );
    }
    // The ceiling itself is fine.
    let ok = app
        .call(
            "POST",
            "/v1/subscriptions",
            Some(json!({
                "url": "http://127.0.0.1:9/x", "events": ["*"],
                "plugin": {"id": plugin, "limits": {"timeoutMs": 1000}}
            })),
        )
        .await;
    assert_eq!(ok.status, 201, "{ok:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huge_plugin_errors_are_cut() {
    let rx = TestReceiver::start().await;
    let app = TestApp::spawn().await;
    let plugin = app.upload("misbehave").await;
    let r = app
        .call(
            "POST",
            "/v1/subscriptions",
            Some(json!({
                "url": rx.url("/x"), "events": ["*"],
                "plugin": {"id": plugin, "config": {"mode": "count", "configure": "big-error"}}
            })),
        )
        .await;
    assert_eq!(r.status, 422, "{:?}", r.status);
    let detail = r.body["detail"].as_str().unwrap_or_default();
    assert!(
        detail.len() < 4096,
        "a {} byte error was echoed",
        detail.len()
    );
    assert!(
        detail.contains("bytes cut"),
        "{}",
        &detail[detail.len() - 64..]
    );

    subscribe_misbehave(&app, &plugin, &rx.url("/x"), json!({"mode": "big-error"})).await;
    let e = app
        .publish(json!({"type": "member.created", "object": {"id": "m1"}}))
        .await;
    let d = app
        .single_delivery(e["id"].as_str().expect("id"), "pending")
        .await;
    let id = d["id"].as_str().expect("id");
    let deadline = Instant::now() + Duration::from_secs(10);
    let body = loop {
        let r = app.call("GET", &format!("/v1/deliveries/{id}"), None).await;
        if r.body["attemptLog"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
        {
            break r.body;
        }
        assert!(Instant::now() < deadline, "{}", r.body);
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(
        body["attemptLog"][0]["error"]["code"],
        "plugin_plugin_error"
    );
    let size = body.to_string().len();
    assert!(
        size < 16 << 10,
        "a delivery with one attempt is {size} bytes"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_data_directory_is_the_owners_only() {
    use std::os::unix::fs::PermissionsExt;
    let app = TestApp::spawn().await;
    app.subscribe(json!({"url": "http://127.0.0.1:9/x", "events": ["*"], "secret": "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"}))
        .await;
    app.publish(json!({"type": "member.created", "object": {"id": "m1"}}))
        .await;
    let mut seen = 0;
    let mut stack = vec![app.dir.path().to_path_buf()];
    while let Some(path) = stack.pop() {
        let meta = std::fs::metadata(&path).expect("metadata");
        let mode = meta.permissions().mode() & 0o777;
        if meta.is_dir() {
            assert_eq!(mode, 0o700, "{} is {mode:o}", path.display());
            stack.extend(
                std::fs::read_dir(&path)
                    .expect("read_dir")
                    .map(|e| e.expect("entry").path()),
            );
        } else {
            assert_eq!(mode, 0o600, "{} is {mode:o}", path.display());
            seen += 1;
        }
    }
    assert!(seen > 0, "the store wrote no files");
}

/// `HTTP_PROXY`/`HTTPS_PROXY` in the server's environment must not carry deliveries: a proxy
/// resolves names itself, past the SSRF guard.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proxy_variables_in_the_environment_are_ignored() {
    let proxy = TestReceiver::start().await;
    let port = free_port();
    let data = tempfile::tempdir().expect("tempdir");
    let proxy_url = format!("http://{}", proxy.addr);
    let mut child = Command::new(env!("CARGO_BIN_EXE_hookshape-cli"))
        .arg("serve")
        .arg("--data-dir")
        .arg(data.path())
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--allow-http", "--retry-schedule", "10s"])
        .env("HOOKSHAPE_TOKEN", "proxy-token")
        .env("HOOKSHAPE_LOG", "warn")
        .env("HTTP_PROXY", &proxy_url)
        .env("http_proxy", &proxy_url)
        .env("HTTPS_PROXY", &proxy_url)
        .env("ALL_PROXY", &proxy_url)
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn hookshape");
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let base = format!("http://127.0.0.1:{port}");
    wait_healthy(&client, &base).await;
    let created = client
        .post(format!("{base}/v1/subscriptions"))
        .bearer_auth("proxy-token")
        .json(
            &json!({"url": "http://metadata.google.internal/computeMetadata/v1/", "events": ["*"]}),
        )
        .send()
        .await
        .expect("subscribe");
    assert_eq!(created.status(), 201);
    let published = client
        .post(format!("{base}/v1/events"))
        .bearer_auth("proxy-token")
        .json(&json!({"id": "evt_proxy", "type": "member.created", "object": {}}))
        .send()
        .await
        .expect("publish");
    assert_eq!(published.status(), 202);
    // Wait for the first attempt, then check nothing went through the proxy.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let list: Value = client
            .get(format!("{base}/v1/events/evt_proxy/deliveries"))
            .bearer_auth("proxy-token")
            .send()
            .await
            .expect("deliveries")
            .json()
            .await
            .expect("json");
        if list["data"][0]["attempts"].as_u64().unwrap_or(0) > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "no attempt: {list}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        proxy.received().is_empty(),
        "a delivery went through the environment's proxy: {:?}",
        proxy.received()
    );
}

/// SIGTERM while plugins sleep in host calls: the process exits cleanly, with no panic.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_with_plugins_running_is_clean() {
    let port = free_port();
    let data = tempfile::tempdir().expect("tempdir");
    let child = Command::new(env!("CARGO_BIN_EXE_hookshape-cli"))
        .arg("serve")
        .arg("--data-dir")
        .arg(data.path())
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--allow-http", "--allow-ip", "127.0.0.1/32"])
        .env("HOOKSHAPE_TOKEN", "term-token")
        .env("HOOKSHAPE_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn hookshape");
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    wait_healthy(&client, &base).await;
    let plugin: Value = client
        .post(format!("{base}/v1/plugins"))
        .bearer_auth("term-token")
        .body(hookshape_tests::plugin_bytes("misbehave"))
        .send()
        .await
        .expect("upload")
        .json()
        .await
        .expect("json");
    for n in 0..4 {
        let created = client
            .post(format!("{base}/v1/subscriptions"))
            .bearer_auth("term-token")
            .json(&json!({
                "url": format!("http://127.0.0.1:9/{n}"), "events": ["*"],
                "plugin": {"id": plugin["id"], "config": {"mode": "sleep"}, "limits": {"timeoutMs": 1000}}
            }))
            .send()
            .await
            .expect("subscribe");
        assert_eq!(created.status(), 201);
    }
    for n in 0..50 {
        let r = client
            .post(format!("{base}/v1/events"))
            .bearer_auth("term-token")
            .json(&json!({"type": "member.created", "object": {"n": n}}))
            .send()
            .await
            .expect("publish");
        assert_eq!(r.status(), 202);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let pid = child.id().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("join")
        .expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{:?}: {stderr}", output.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
}
