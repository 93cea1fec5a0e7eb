//! The API's contract: authentication, one error code per kind of bad input, optimistic
//! concurrency and the plugin lifecycle (the OpenAPI document: `openapi_document.rs`).

use hookshape_tests::app::TestApp;
use hookshape_tests::receiver::TestReceiver;
use serde_json::{Value, json};

#[tokio::test]
async fn every_v1_route_needs_the_token() {
    let app = TestApp::spawn().await;
    for (method, path) in [
        ("GET", "/v1/subscriptions"),
        ("POST", "/v1/events"),
        ("GET", "/v1/plugins"),
        ("GET", "/v1/deliveries/dlv_x"),
    ] {
        let none = app
            .call_with(method, path, Some(json!({})), None, &[])
            .await;
        assert_eq!(none.status, 401, "{method} {path}");
        assert_eq!(none.body["code"], "unauthorized");
        let wrong = app
            .call_with(method, path, Some(json!({})), Some("nope"), &[])
            .await;
        assert_eq!(wrong.status, 401, "{method} {path}");
    }
    let health = app.call_with("GET", "/healthz", None, None, &[]).await;
    assert_eq!(health.status, 200);
    let doc = app.call_with("GET", "/openapi.json", None, None, &[]).await;
    assert_eq!(doc.status, 200);
}

async fn expect_code(
    app: &TestApp,
    method: &str,
    path: &str,
    body: Value,
    status: u16,
    code: &str,
) {
    let r = app.call(method, path, Some(body.clone())).await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (status, Some(code)),
        "{method} {path} {body}: {r:?}"
    );
    assert!(r.body["detail"].as_str().is_some_and(|d| !d.is_empty()));
}

#[tokio::test]
async fn bad_subscriptions_each_get_their_code() {
    let app = TestApp::spawn_with(|c| {
        c.allow_http = false;
        c.allow_ips.clear();
    })
    .await;
    let ok_url = "https://hooks.example.com/x";
    let cases = [
        (
            json!({"url": "not a url", "events": ["a.b"]}),
            "invalid_url",
        ),
        (
            json!({"url": "http://hooks.example.com/x", "events": ["a.b"]}),
            "https_required",
        ),
        (
            json!({"url": "https://127.0.0.1/x", "events": ["a.b"]}),
            "blocked_address",
        ),
        (
            json!({"url": "https://[::1]/x", "events": ["a.b"]}),
            "blocked_address",
        ),
        (
            json!({"url": "https://169.254.169.254/latest", "events": ["a.b"]}),
            "blocked_address",
        ),
        (
            json!({"url": ok_url, "events": ["Not A Type"]}),
            "invalid_event_type",
        ),
        (json!({"url": ok_url, "events": []}), "invalid_event_type"),
        (
            json!({"url": ok_url, "events": ["a.b"], "plugin": {"id": "0000"}}),
            "unknown_plugin",
        ),
        (
            json!({"url": ok_url, "events": ["a.b"], "secret": "short"}),
            "invalid_secret",
        ),
        (
            json!({"url": ok_url, "events": ["a.b"], "signing": {"scheme": "hex-hmac", "header": "Content-Type"}}),
            "invalid_signing",
        ),
        (
            json!({"url": ok_url, "events": ["a.b"], "surprise": 1}),
            "invalid_body",
        ),
        (json!({"url": ok_url}), "invalid_body"),
    ];
    for (body, code) in cases {
        expect_code(&app, "POST", "/v1/subscriptions", body, 422, code).await;
    }
    // Nothing was stored.
    let list = app.call("GET", "/v1/subscriptions", None).await;
    assert_eq!(list.body["data"], json!([]));
}

#[tokio::test]
async fn an_invalid_plugin_config_is_refused_with_the_plugins_reason() {
    let app = TestApp::spawn().await;
    let plugin = app.upload("select-fields").await;
    let r = app
        .call(
            "POST",
            "/v1/subscriptions",
            Some(json!({"url": "http://127.0.0.1:9/x", "events": ["a.b"],
            "plugin": {"id": plugin, "config": {"fields": []}}})),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["code"], "invalid_plugin_config");
    assert!(
        r.body["detail"]
            .as_str()
            .expect("detail")
            .contains("at least one field")
    );
}

#[tokio::test]
async fn bad_events_each_get_their_code() {
    let app = TestApp::spawn().await;
    let cases = [
        (
            json!({"type": "nope", "object": {}}),
            422,
            "invalid_event_type",
        ),
        (
            json!({"type": "a.b", "object": {}, "id": "has space"}),
            422,
            "invalid_event_id",
        ),
        (
            json!({"type": "a.b", "object": {}, "occurredAt": "yesterday"}),
            422,
            "invalid_occurred_at",
        ),
        (json!({"type": "a.b"}), 422, "invalid_body"),
    ];
    for (body, status, code) in cases {
        expect_code(&app, "POST", "/v1/events", body, status, code).await;
    }
    let raw = app
        .client
        .post(format!("{}/v1/events", app.base))
        .bearer_auth(hookshape_tests::app::TOKEN)
        .header("content-type", "application/json")
        .body("{\"type\": ")
        .send()
        .await
        .expect("send");
    assert_eq!(raw.status(), 400);
    let body: Value = raw.json().await.expect("json");
    assert_eq!(body["code"], "malformed_json");

    let huge = json!({"type": "a.b", "object": {"blob": "x".repeat(2 << 20)}});
    expect_code(&app, "POST", "/v1/events", huge, 413, "body_too_large").await;
}

#[tokio::test]
async fn bad_plugin_uploads_each_get_their_code() {
    let app = TestApp::spawn().await;
    let cases: [(Vec<u8>, &str); 5] = [
        (b"not wasm at all".to_vec(), "not_wasm"),
        (b"\0asm\x01\x00\x00\x00".to_vec(), "core_module"),
        (
            hookshape_tests::plugin_bytes("uses-http"),
            "forbidden_import",
        ),
        (hookshape_tests::plugin_bytes("other-world"), "wrong_world"),
        (
            hookshape_tests::plugin_bytes("passthrough")[..5000].to_vec(),
            "invalid_component",
        ),
    ];
    for (bytes, code) in cases {
        let r = app.upload_bytes(bytes).await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (422, Some(code)),
            "{r:?}"
        );
    }
    assert_eq!(
        app.call("GET", "/v1/plugins", None).await.body["data"],
        json!([])
    );
}

#[tokio::test]
async fn plugins_are_content_addressed_and_protected_while_used() {
    let app = TestApp::spawn().await;
    let bytes = hookshape_tests::plugin_bytes("passthrough");
    let first = app.upload_bytes(bytes.clone()).await;
    assert_eq!(first.status, 201);
    let again = app.upload_bytes(bytes).await;
    assert_eq!(again.status, 200);
    assert_eq!(first.body["id"], again.body["id"]);
    assert_eq!(first.body["world"], "hookshape:plugin/transformer@0.1.0");
    let id = first.body["id"].as_str().expect("id").to_owned();
    assert_eq!(
        app.call("GET", &format!("/v1/plugins/{id}"), None)
            .await
            .status,
        200
    );

    let sub = app
        .subscribe(json!({"url": "http://127.0.0.1:9/x", "events": ["a.b"], "plugin": {"id": id}}))
        .await;
    let busy = app.call("DELETE", &format!("/v1/plugins/{id}"), None).await;
    assert_eq!(
        (busy.status, busy.body["code"].as_str()),
        (409, Some("plugin_in_use"))
    );
    let sub_id = sub["id"].as_str().expect("id");
    assert_eq!(
        app.call("DELETE", &format!("/v1/subscriptions/{sub_id}"), None)
            .await
            .status,
        204
    );
    assert_eq!(
        app.call("DELETE", &format!("/v1/plugins/{id}"), None)
            .await
            .status,
        204
    );
    assert_eq!(
        app.call("GET", &format!("/v1/plugins/{id}"), None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn patch_with_a_stale_etag_is_refused() {
    let app = TestApp::spawn().await;
    let sub = app
        .subscribe(json!({"url": "http://127.0.0.1:9/x", "events": ["a.b"]}))
        .await;
    let id = sub["id"].as_str().expect("id");
    let etag = sub["etag"].as_str().expect("etag").to_owned();
    let first = app
        .call_with(
            "PATCH",
            &format!("/v1/subscriptions/{id}"),
            Some(json!({"description": "one"})),
            Some(hookshape_tests::app::TOKEN),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(first.status, 200, "{first:?}");
    assert_ne!(first.body["etag"], etag.as_str());
    assert_eq!(
        first.headers["etag"].to_str().expect("etag"),
        first.body["etag"].as_str().expect("etag")
    );
    let stale = app
        .call_with(
            "PATCH",
            &format!("/v1/subscriptions/{id}"),
            Some(json!({"description": "two"})),
            Some(hookshape_tests::app::TOKEN),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(
        (stale.status, stale.body["code"].as_str()),
        (412, Some("etag_mismatch"))
    );
    let now = app
        .call("GET", &format!("/v1/subscriptions/{id}"), None)
        .await;
    assert_eq!(now.body["description"], "one");
}

#[tokio::test]
async fn secrets_stay_out_of_reads_and_lists() {
    let app = TestApp::spawn().await;
    let sub = app
        .subscribe(
            json!({"url": "http://127.0.0.1:9/x", "events": ["a.b"], "metadata": {"team": "crm"}}),
        )
        .await;
    let secret = sub["secret"].as_str().expect("secret").to_owned();
    let id = sub["id"].as_str().expect("id");
    let one = app
        .call("GET", &format!("/v1/subscriptions/{id}"), None)
        .await;
    let list = app.call("GET", "/v1/subscriptions", None).await;
    assert!(!one.body.to_string().contains(&secret));
    assert!(!list.body.to_string().contains(&secret));
    assert_eq!(one.body["metadata"], json!({"team": "crm"}));
    for key in [
        "id",
        "created",
        "updated",
        "url",
        "description",
        "events",
        "status",
        "metadata",
        "etag",
        "signing",
    ] {
        assert!(one.body.get(key).is_some(), "missing {key}");
    }
    let revealed = app
        .call("GET", &format!("/v1/subscriptions/{id}/secret"), None)
        .await;
    assert_eq!(revealed.body["secret"], secret.as_str());
}

#[tokio::test]
async fn lists_are_paginated() {
    let app = TestApp::spawn().await;
    for _ in 0..5 {
        app.subscribe(json!({"url": "http://127.0.0.1:9/x", "events": ["a.b"]}))
            .await;
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/subscriptions?limit=2&after={c}"),
            None => "/v1/subscriptions?limit=2".into(),
        };
        let page = app.call("GET", &path, None).await;
        let data = page.body["data"].as_array().expect("data").clone();
        assert!(data.len() <= 2);
        seen.extend(
            data.iter()
                .map(|s| s["id"].as_str().expect("id").to_owned()),
        );
        match page.body["nextCursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5);
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted);
    let bad = app.call("GET", "/v1/subscriptions?limit=abc", None).await;
    assert_eq!(
        (bad.status, bad.body["code"].as_str()),
        (400, Some("invalid_query"))
    );
}

#[tokio::test]
async fn unknown_things_are_404_with_a_code() {
    let app = TestApp::spawn().await;
    let _rx = TestReceiver::start().await;
    for path in [
        "/v1/subscriptions/sub_nope",
        "/v1/deliveries/dlv_nope",
        "/v1/events/evt_nope/deliveries",
        "/v1/nothing",
    ] {
        let r = app.call("GET", path, None).await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (404, Some("not_found")),
            "{path}"
        );
    }
    let r = app
        .call("POST", "/v1/deliveries/dlv_nope/retry", None)
        .await;
    assert_eq!(r.status, 404);
}
