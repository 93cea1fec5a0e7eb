//! Defects found using the API as a new user would; each test failed before its fix.

use std::time::Duration;

use hookshape::dispatch::RetryPolicy;
use hookshape_tests::app::TestApp;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patching_the_plugin_id_keeps_its_config_and_limits() {
    let app = TestApp::spawn().await;
    let select = app.upload("select-fields").await;
    let pass = app.upload("passthrough").await;
    let sub = app
        .subscribe(json!({
            "url": "http://127.0.0.1:9/x", "events": ["*"],
            "plugin": {"id": select, "config": {"fields": ["id"]}, "limits": {"timeoutMs": 200}}
        }))
        .await;
    let path = format!("/v1/subscriptions/{}", sub["id"].as_str().expect("id"));
    let moved = app
        .call("PATCH", &path, Some(json!({"plugin": {"id": pass}})))
        .await;
    assert_eq!(moved.status, 200, "{moved:?}");
    assert_eq!(moved.body["plugin"]["id"], pass.as_str());
    assert_eq!(moved.body["plugin"]["config"], json!({"fields": ["id"]}));
    assert_eq!(moved.body["plugin"]["limits"]["timeoutMs"], 200);
    // One limit changed; the others, and the config, stay.
    let tuned = app
        .call(
            "PATCH",
            &path,
            Some(json!({"plugin": {"id": pass, "limits": {"memoryBytes": 33554432}}})),
        )
        .await;
    assert_eq!(tuned.body["plugin"]["limits"]["timeoutMs"], 200);
    assert_eq!(tuned.body["plugin"]["limits"]["memoryBytes"], 33554432);
    assert_eq!(tuned.body["plugin"]["config"], json!({"fields": ["id"]}));
    // `null` still removes the plugin.
    let removed = app
        .call("PATCH", &path, Some(json!({"plugin": null})))
        .await;
    assert_eq!(removed.body["plugin"], json!(null));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn manual_retries_do_not_use_up_the_automatic_ones() {
    // Automatic retries far apart, so the manual ones all happen while the delivery waits.
    let app = TestApp::spawn_with(|c| {
        c.retry = RetryPolicy {
            schedule: vec![Duration::from_secs(30); 5],
            jitter: 0.0,
            max_retry_after: Duration::from_secs(60),
        };
    })
    .await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    app.subscribe(json!({"url": format!("http://127.0.0.1:{port}/down"), "events": ["*"]}))
        .await;
    app.publish(json!({"id": "evt_m", "type": "member.created", "object": {}}))
        .await;
    let deliveries = app.deliveries("evt_m").await;
    let id = deliveries[0]["id"].as_str().expect("id").to_owned();
    // The first automatic attempt fails and schedules a retry in 30 s.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let first = loop {
        let d = app.call("GET", &format!("/v1/deliveries/{id}"), None).await;
        if d.body["attempts"] == 1 {
            break d.body;
        }
        assert!(std::time::Instant::now() < deadline, "{}", d.body);
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let next = first["nextAttempt"].clone();
    assert!(next.is_string(), "{first}");
    for n in 0..5 {
        let r = app
            .call("POST", &format!("/v1/deliveries/{id}/retry"), None)
            .await;
        assert_eq!(r.status, 200, "{r:?}");
        assert_eq!(r.body["outcome"], "failed");
        assert_eq!(r.body["number"], n + 2);
    }
    let after = app.call("GET", &format!("/v1/deliveries/{id}"), None).await;
    assert_eq!(after.body["status"], "pending", "{}", after.body);
    assert_eq!(after.body["attempts"], 6);
    assert_eq!(after.body["nextAttempt"], next, "the schedule is unchanged");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_resolving_only_to_internal_addresses_is_refused_at_creation() {
    let app = TestApp::spawn_with(|c| c.allow_ips.clear()).await;
    let r = app
        .call(
            "POST",
            "/v1/subscriptions",
            Some(json!({"url": "https://localhost:8443/hooks", "events": ["*"]})),
        )
        .await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (422, Some("blocked_address")),
        "{r:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_methods_and_large_bodies_get_a_json_error_naming_the_limit() {
    let app = TestApp::spawn_with(|c| c.json_body_limit = 1_000).await;
    let r = app.call("PUT", "/v1/subscriptions", Some(json!({}))).await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (405, Some("method_not_allowed")),
        "{r:?}"
    );
    let big = "x".repeat(2_000);
    let r = app
        .call(
            "POST",
            "/v1/events",
            Some(json!({"type": "a.b", "object": {"big": big}})),
        )
        .await;
    assert_eq!(r.status, 413, "{r:?}");
    assert_eq!(r.body["code"], "body_too_large");
    let detail = r.body["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("1000 bytes"), "{detail}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_a_plugin_prints_is_in_the_attempt_record() {
    let rx = hookshape_tests::receiver::TestReceiver::start().await;
    let app = TestApp::spawn().await;
    let plugin = app.upload("misbehave").await;
    app.subscribe(json!({"url": rx.url("/p"), "events": ["*"], "plugin": {"id": plugin, "config": {"mode": "print"}}}))
        .await;
    app.publish(json!({"id": "evt_print", "type": "member.created", "object": {"id": "m1"}}))
        .await;
    let d = app.single_delivery("evt_print", "succeeded").await;
    let logs = d["attemptLog"][0]["pluginLogs"].to_string();
    assert!(
        logs.contains("[stdout/stderr] misbehave: printed during transform"),
        "{logs}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn static_headers_are_sent_and_never_shown() {
    let rx = hookshape_tests::receiver::TestReceiver::start().await;
    let app = TestApp::spawn().await;
    let credential = "Bearer receiver-credential-8c1f";
    let bad = app
        .call(
            "POST",
            "/v1/subscriptions",
            Some(json!({"url": rx.url("/h"), "events": ["*"], "headers": {"Content-Type": "text/plain"}})),
        )
        .await;
    assert_eq!(
        (bad.status, bad.body["code"].as_str()),
        (422, Some("invalid_headers"))
    );
    let sub = app
        .subscribe(
            json!({"url": rx.url("/h"), "events": ["*"], "headers": {"Authorization": credential}}),
        )
        .await;
    assert_eq!(sub["headers"], json!(["Authorization"]));
    assert!(!sub.to_string().contains(credential));
    let id = sub["id"].as_str().expect("id");
    let listed = app.call("GET", "/v1/subscriptions", None).await;
    assert!(!listed.body.to_string().contains(credential));
    app.publish(json!({"id": "evt_h", "type": "member.created", "object": {}}))
        .await;
    let got = rx.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(got[0].header("authorization"), Some(credential));
    let d = app.single_delivery("evt_h", "succeeded").await;
    let recorded = d["attemptLog"][0]["request"]["headers"].to_string();
    assert!(recorded.contains("[redacted]"), "{recorded}");
    assert!(!d.to_string().contains(credential));
    // `{}` removes them.
    let cleared = app
        .call(
            "PATCH",
            &format!("/v1/subscriptions/{id}"),
            Some(json!({"headers": {}})),
        )
        .await;
    assert_eq!(cleared.body["headers"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_was_sent_can_be_read_back() {
    let rx = hookshape_tests::receiver::TestReceiver::start().await;
    let app = TestApp::spawn().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    app.subscribe(json!({"url": rx.url("/ok"), "events": ["*"]}))
        .await;
    app.subscribe(json!({"url": format!("http://127.0.0.1:{port}/down"), "events": ["invoice.*"]}))
        .await;
    app.publish(json!({"id": "evt_r1", "type": "member.created", "object": {"n": 1}}))
        .await;
    app.publish(
        json!({"id": "evt_r2", "type": "invoice.created", "object": {"n": 2}, "previous": null}),
    )
    .await;
    let shown = app.call("GET", "/v1/events/evt_r2", None).await;
    assert_eq!(shown.status, 200, "{shown:?}");
    assert_eq!(shown.body["type"], "invoice.created");
    assert_eq!(shown.body["object"], json!({"n": 2}));
    let listed = app.call("GET", "/v1/events?type=member.*", None).await;
    let ids: Vec<&str> = listed.body["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter_map(|e| e["id"].as_str())
        .collect();
    assert_eq!(ids, ["evt_r1"]);
    let all = app.call("GET", "/v1/events?limit=1", None).await;
    assert_eq!(all.body["data"][0]["id"], "evt_r2", "newest first");
    let cursor = all.body["nextCursor"].as_str().expect("cursor");
    let next = app
        .call("GET", &format!("/v1/events?limit=1&before={cursor}"), None)
        .await;
    assert_eq!(next.body["data"][0]["id"], "evt_r1");
    // The failing endpoint's delivery, found across subscriptions with its event type.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let failed = app.call("GET", "/v1/deliveries?type=invoice.*", None).await;
        let data = failed.body["data"].as_array().expect("data").clone();
        assert!(
            data.iter().all(|d| d["eventType"] == "invoice.created"),
            "{data:?}"
        );
        if data.iter().any(|d| d["status"] == "failed") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{data:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let failed = app.call("GET", "/v1/deliveries?status=failed", None).await;
    assert_eq!(
        failed.body["data"].as_array().map(Vec::len),
        Some(1),
        "{}",
        failed.body
    );
    assert_eq!(failed.body["data"][0]["eventId"], "evt_r2");
    let bad = app.call("GET", "/v1/deliveries?status=nope", None).await;
    assert_eq!(bad.status, 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plugins_have_names() {
    let app = TestApp::spawn().await;
    let req = app
        .client
        .post(format!("{}/v1/plugins?name=select-fields", app.base))
        .bearer_auth(hookshape_tests::app::TOKEN)
        .body(hookshape_tests::plugin_bytes("select-fields"));
    let r = req.send().await.expect("upload");
    assert_eq!(r.status(), 201);
    let listed = app.call("GET", "/v1/plugins", None).await;
    assert_eq!(listed.body["data"][0]["name"], "select-fields");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_server_on_the_same_data_directory_says_so() {
    let app = TestApp::spawn().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let second =
        hookshape::server::start(hookshape_tests::app::test_config(app.dir.path()), listener).await;
    match second {
        Ok(_) => panic!("two servers on one data directory"),
        Err(e) => assert!(e.to_string().contains("another hookshape is using"), "{e}"),
    }
}
