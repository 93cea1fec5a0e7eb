//! Delivery through the real server: plugin, signature, retries, failure handling, crash-free
//! restarts. A real receiver on loopback records and verifies what arrives.

use std::time::Duration;

use hmac::{Hmac, Mac};
use hookshape_tests::app::TestApp;
use hookshape_tests::receiver::{Answer, TestReceiver};
use hookshape_tests::verify::standard_signature_ok;
use serde_json::{Value, json};
use sha2::Sha256;

const WAIT: Duration = Duration::from_secs(15);

#[tokio::test]
async fn publish_runs_the_plugin_and_delivers_a_signed_request() {
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    let plugin = app.upload("select-fields").await;
    let sub = app
        .subscribe(json!({
            "url": rx.url("/hooks"),
            "events": ["member.*"],
            "plugin": {"id": plugin, "config": {"fields": ["id", {"path": "email", "as": "contact"}]}}
        }))
        .await;
    let secret = sub["secret"].as_str().expect("secret").to_owned();
    assert!(secret.starts_with("whsec_"));

    app.publish(
        json!({"id": "evt_a", "type": "member.updated", "occurredAt": "2024-11-08T21:49:46.733Z",
        "object": {"id": "m1", "email": "a@example.com", "name": "Ada"}}),
    )
    .await;
    let got = rx.wait_for(1, WAIT).await;
    let req = &got[0];
    assert_eq!(req.path, "/hooks");
    assert_eq!(
        req.body,
        r#"{"type":"member.updated","timestamp":"2024-11-08T21:49:46.733Z","data":{"id":"m1","contact":"a@example.com"}}"#
    );
    assert_eq!(req.header("content-type"), Some("application/json"));
    assert_eq!(req.header("webhook-id"), Some("evt_a"));
    let ts = req.header("webhook-timestamp").expect("timestamp");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    assert!(ts.parse::<u64>().expect("number").abs_diff(now) < 60);
    let sig = req.header("webhook-signature").expect("signature");
    assert!(
        standard_signature_ok(&secret, "evt_a", ts, &req.body, sig),
        "{sig}"
    );
    assert!(!standard_signature_ok(
        &secret, "evt_a", ts, "tampered", sig
    ));

    let delivery = app.single_delivery("evt_a", "succeeded").await;
    let attempt = &delivery["attemptLog"][0];
    assert_eq!(attempt["outcome"], "succeeded");
    assert_eq!(attempt["pluginId"], plugin.as_str());
    assert_eq!(attempt["response"]["status"], 200);
    assert_eq!(attempt["request"]["body"], req.body.as_str());
}

#[tokio::test]
async fn a_500_then_a_200_makes_two_attempts_with_new_request_ids() {
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    rx.script([Answer::status(500)]);
    let plugin = app.upload("famly-envelope").await;
    app.subscribe(json!({"url": rx.url("/famly"), "events": ["child.updated"],
        "plugin": {"id": plugin}, "signing": {"scheme": "hex-hmac", "header": "X-Famly-Hmac"},
        "secret": "a-famly-secret-of-some-length"}))
        .await;
    app.publish(json!({"id": "evt_b", "type": "child.updated", "tenant": "site-1", "object": {"childId": "c1"}}))
        .await;
    let got = rx.wait_for(2, WAIT).await;
    let first: Value = serde_json::from_str(&got[0].body).expect("json");
    let second: Value = serde_json::from_str(&got[1].body).expect("json");
    assert_eq!(first["eventId"], "evt_b");
    assert_eq!(second["eventId"], "evt_b");
    assert_ne!(
        first["requestId"], second["requestId"],
        "requestId is new per attempt"
    );
    for req in &got {
        // The signature covers the bytes of that attempt.
        let mut mac =
            Hmac::<Sha256>::new_from_slice(b"a-famly-secret-of-some-length").expect("key");
        mac.update(req.body.as_bytes());
        assert_eq!(
            req.header("x-famly-hmac"),
            Some(hex::encode(mac.finalize().into_bytes()).as_str())
        );
    }
    let delivery = app.single_delivery("evt_b", "succeeded").await;
    assert_eq!(delivery["attempts"], 2);
    let log = delivery["attemptLog"].as_array().expect("log");
    assert_eq!(log[0]["outcome"], "failed");
    assert_eq!(log[0]["error"]["code"], "http_status");
    assert_eq!(log[0]["response"]["status"], 500);
    assert_eq!(log[1]["outcome"], "succeeded");
    assert_eq!(log[0]["requestId"], first["requestId"]);
}

/// Without a plugin the body is the event's default body, stored once with the event rather
/// than with every attempt: each attempt still shows exactly the bytes it sent.
#[tokio::test]
async fn attempts_without_a_plugin_show_the_body_they_sent() {
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    rx.script([Answer::status(500)]);
    app.subscribe(json!({"url": rx.url("/plain"), "events": ["member.updated"]}))
        .await;
    app.publish(json!({"id": "evt_plain", "type": "member.updated",
        "object": {"id": "m1", "name": "Zoë \u{1F600}", "n": 1.50}}))
        .await;
    let got = rx.wait_for(2, WAIT).await;
    assert_eq!(got[0].body, got[1].body, "a retry sends the same body");
    let delivery = app.single_delivery("evt_plain", "succeeded").await;
    let log = delivery["attemptLog"].as_array().expect("log");
    assert_eq!(log.len(), 2);
    for (attempt, req) in log.iter().zip(&got) {
        assert_eq!(attempt["request"]["body"], req.body.as_str());
        assert!(
            attempt["request"].get("bodyIsDefault").is_none(),
            "a storage detail: {attempt}"
        );
    }
}

#[tokio::test]
async fn a_receiver_slower_than_the_timeout_fails_the_attempt() {
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    rx.script([Answer::status(200).delay(Duration::from_secs(2))]);
    app.subscribe(json!({"url": rx.url("/slow"), "events": ["*"]}))
        .await;
    app.publish(json!({"id": "evt_c", "type": "member.created", "object": {}}))
        .await;
    let delivery = app.single_delivery("evt_c", "succeeded").await;
    let log = delivery["attemptLog"].as_array().expect("log");
    assert_eq!(log[0]["error"]["code"], "timeout");
    assert!(log[0]["durationMs"].as_u64().expect("ms") >= 500);
    assert_eq!(log[1]["outcome"], "succeeded");
}

#[tokio::test]
async fn retries_run_out_then_a_manual_retry_succeeds() {
    let app = TestApp::spawn().await;
    // A port nothing listens on: every attempt is a refused connection.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let sub = app
        .subscribe(json!({"url": format!("http://127.0.0.1:{port}/gone"), "events": ["*"]}))
        .await;
    app.publish(json!({"id": "evt_d", "type": "member.created", "object": {}}))
        .await;
    let delivery = app.single_delivery("evt_d", "failed").await;
    assert_eq!(delivery["attempts"], 6, "one try and five retries");
    for attempt in delivery["attemptLog"].as_array().expect("log") {
        assert_eq!(attempt["error"]["code"], "connect");
    }
    // Listed among the subscription's failed deliveries.
    let failed = app
        .call(
            "GET",
            &format!(
                "/v1/subscriptions/{}/deliveries?status=failed",
                sub["id"].as_str().expect("id")
            ),
            None,
        )
        .await;
    assert_eq!(failed.body["data"][0]["id"], delivery["id"]);

    // The endpoint comes back; a manual retry delivers.
    let rx = TestReceiver::start().await;
    let moved = app
        .call(
            "PATCH",
            &format!("/v1/subscriptions/{}", sub["id"].as_str().expect("id")),
            Some(json!({"url": rx.url("/back")})),
        )
        .await;
    assert_eq!(moved.status, 200, "{moved:?}");
    let retry = app
        .call(
            "POST",
            &format!(
                "/v1/deliveries/{}/retry",
                delivery["id"].as_str().expect("id")
            ),
            None,
        )
        .await;
    assert_eq!(retry.status, 200, "{retry:?}");
    assert_eq!(retry.body["outcome"], "succeeded");
    assert_eq!(retry.body["number"], 7);
    assert_eq!(rx.received().len(), 1);
    let after = app
        .wait_delivery(delivery["id"].as_str().expect("id"), "succeeded", WAIT)
        .await;
    assert_eq!(after["attempts"], 7);
}

#[tokio::test]
async fn a_410_disables_the_subscription() {
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    rx.script([Answer::status(410)]);
    let sub = app
        .subscribe(json!({"url": rx.url("/x"), "events": ["*"]}))
        .await;
    app.publish(json!({"id": "evt_e", "type": "member.created", "object": {}}))
        .await;
    let delivery = app.single_delivery("evt_e", "failed").await;
    assert_eq!(delivery["attempts"], 1, "410 is not retried");
    let sub = app
        .call(
            "GET",
            &format!("/v1/subscriptions/{}", sub["id"].as_str().expect("id")),
            None,
        )
        .await;
    assert_eq!(sub.body["status"], "disabled");
    assert!(
        sub.body["disabledReason"]
            .as_str()
            .expect("reason")
            .contains("410")
    );
    // A disabled subscription gets no new deliveries.
    let r = app
        .publish(json!({"id": "evt_e2", "type": "member.created", "object": {}}))
        .await;
    assert_eq!(r["deliveries"], 0);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    rx.script([Answer::status(503).header("Retry-After", "1")]);
    app.subscribe(json!({"url": rx.url("/busy"), "events": ["*"]}))
        .await;
    app.publish(json!({"id": "evt_f", "type": "member.created", "object": {}}))
        .await;
    let got = rx.wait_for(2, WAIT).await;
    let gap = got[1].at.duration_since(got[0].at);
    // The schedule says 100 ms; the endpoint asked for 1 s.
    assert!(gap >= Duration::from_millis(950), "retried after {gap:?}");
    app.single_delivery("evt_f", "succeeded").await;
}

#[tokio::test]
async fn a_dropping_plugin_sends_nothing() {
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    let plugin = app.upload("filter").await;
    app.subscribe(json!({"url": rx.url("/active"), "events": ["member.*"],
        "plugin": {"id": plugin, "config": {"field": "status", "equals": "active"}}}))
        .await;
    app.publish(json!({"id": "evt_g1", "type": "member.updated", "object": {"status": "gone"}}))
        .await;
    app.publish(json!({"id": "evt_g2", "type": "member.updated", "object": {"status": "active"}}))
        .await;
    let dropped = app.single_delivery("evt_g1", "dropped").await;
    assert_eq!(dropped["attemptLog"][0]["outcome"], "dropped");
    assert!(dropped["attemptLog"][0]["request"].is_null());
    app.single_delivery("evt_g2", "succeeded").await;
    let got = rx.received();
    assert_eq!(got.len(), 1);
    assert!(got[0].body.contains(r#""status":"active""#));
}

#[tokio::test]
async fn a_trapping_plugin_fails_its_delivery_and_no_other() {
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    let bad = app.upload("misbehave").await;
    app.subscribe(json!({"url": rx.url("/bad"), "events": ["*"],
        "plugin": {"id": bad, "config": {"mode": "panic"}}}))
        .await;
    app.subscribe(json!({"url": rx.url("/good"), "events": ["*"]}))
        .await;
    app.publish(json!({"id": "evt_h", "type": "member.created", "object": {"n": 1}}))
        .await;
    let deliveries = app.deliveries("evt_h").await;
    assert_eq!(deliveries.len(), 2);
    let mut outcomes = Vec::new();
    for d in &deliveries {
        let id = d["id"].as_str().expect("id");
        let status = loop {
            let r = app.call("GET", &format!("/v1/deliveries/{id}"), None).await;
            if r.body["status"] == "succeeded" || r.body["status"] == "failed" {
                break r.body;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        outcomes.push(status);
    }
    let failed = outcomes
        .iter()
        .find(|d| d["status"] == "failed")
        .expect("one failed");
    let ok = outcomes
        .iter()
        .find(|d| d["status"] == "succeeded")
        .expect("one succeeded");
    let error = &failed["attemptLog"][0]["error"];
    assert_eq!(error["code"], "plugin_trap");
    assert!(
        error["detail"]
            .as_str()
            .expect("detail")
            .contains("misbehave: deliberate panic")
    );
    assert_eq!(ok["attempts"], 1);
    let paths: Vec<String> = rx.received().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/good"]);
}

#[tokio::test]
async fn rotation_signs_with_both_secrets_during_the_overlap() {
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    let sub = app
        .subscribe(json!({"url": rx.url("/rot"), "events": ["*"]}))
        .await;
    let id = sub["id"].as_str().expect("id");
    let old = sub["secret"].as_str().expect("secret").to_owned();
    let rotated = app
        .call(
            "POST",
            &format!("/v1/subscriptions/{id}/secret/rotate"),
            None,
        )
        .await;
    assert_eq!(rotated.status, 200, "{rotated:?}");
    let new = rotated.body["secret"].as_str().expect("secret").to_owned();
    assert_ne!(new, old);
    assert_eq!(rotated.body["previous"][0]["secret"], old.as_str());
    let shown = app
        .call("GET", &format!("/v1/subscriptions/{id}/secret"), None)
        .await;
    assert_eq!(shown.body["secret"], new.as_str());

    app.publish(json!({"id": "evt_r", "type": "member.created", "object": {}}))
        .await;
    let req = rx.wait_for(1, WAIT).await.remove(0);
    let sig = req.header("webhook-signature").expect("signature");
    assert_eq!(sig.split(' ').count(), 2, "{sig}");
    let ts = req.header("webhook-timestamp").expect("ts");
    assert!(standard_signature_ok(&old, "evt_r", ts, &req.body, sig));
    assert!(standard_signature_ok(&new, "evt_r", ts, &req.body, sig));

    // With no overlap the old secret stops signing at once.
    let again = app
        .call(
            "POST",
            &format!("/v1/subscriptions/{id}/secret/rotate"),
            Some(json!({"overlapSeconds": 0})),
        )
        .await;
    let newest = again.body["secret"].as_str().expect("secret").to_owned();
    app.publish(json!({"id": "evt_r2", "type": "member.created", "object": {}}))
        .await;
    let req = rx.wait_for(2, WAIT).await.remove(1);
    let sig = req.header("webhook-signature").expect("signature");
    assert_eq!(sig.split(' ').count(), 1, "{sig}");
    let ts = req.header("webhook-timestamp").expect("ts");
    assert!(standard_signature_ok(&newest, "evt_r2", ts, &req.body, sig));
}

#[tokio::test]
async fn the_test_endpoint_delivers_now_and_returns_the_attempt() {
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    let sub = app
        .subscribe(json!({"url": rx.url("/t"), "events": ["invoice.created"]}))
        .await;
    let r = app
        .call(
            "POST",
            &format!("/v1/subscriptions/{}/test", sub["id"].as_str().expect("id")),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.body["outcome"], "succeeded");
    assert_eq!(r.body["response"]["status"], 200);
    let got = rx.received();
    assert_eq!(got.len(), 1);
    let body: Value = serde_json::from_str(&got[0].body).expect("json");
    assert_eq!(body["type"], "hookshape.test");
}

#[tokio::test]
async fn publishing_the_same_id_twice_creates_nothing_new() {
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    app.subscribe(json!({"url": rx.url("/i"), "events": ["*"]}))
        .await;
    let first = app
        .publish(json!({"id": "evt_i", "type": "member.created", "object": {"v": 1}}))
        .await;
    let second = app
        .publish(json!({"id": "evt_i", "type": "member.created", "object": {"v": 2}}))
        .await;
    assert_eq!(first["duplicate"], false);
    assert_eq!(second["duplicate"], true);
    assert_eq!(second["deliveries"], 1);
    app.single_delivery("evt_i", "succeeded").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let got = rx.received();
    assert_eq!(got.len(), 1);
    assert!(got[0].body.contains(r#""v":1"#));
}

#[tokio::test]
async fn a_restart_resumes_pending_work() {
    let mut app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    // Long first retry so the delivery is still pending when the server stops.
    rx.script([Answer::status(500)]);
    app.subscribe(json!({"url": rx.url("/later"), "events": ["*"]}))
        .await;
    app.publish(json!({"id": "evt_j", "type": "member.created", "object": {}}))
        .await;
    rx.wait_for(1, WAIT).await;
    app.shutdown().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let config = hookshape_tests::app::test_config(app.dir.path());
    let server = hookshape::server::start(config, listener)
        .await
        .expect("restart");
    app.base = format!("http://{}", server.addr);
    app.server = Some(server);
    app.single_delivery("evt_j", "succeeded").await;
    assert_eq!(rx.received().len(), 2);
}

/// A receiver written for a product that never retries (OfficeRnD) gets exactly one request
/// per event from a subscription whose schedule is empty; another schedule is its own.
#[tokio::test]
async fn a_subscription_may_carry_its_own_retry_schedule_or_none() {
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    rx.script((0..8).map(|_| Answer::status(500)));
    let sub = app
        .subscribe(json!({"url": rx.url("/once"), "events": ["member.updated"],
            "retry": {"schedule": []}}))
        .await;
    assert_eq!(sub["retry"], json!({"schedule": []}), "{sub}");
    app.publish(json!({"id": "evt_once", "type": "member.updated", "object": {}}))
        .await;
    let delivery = app.single_delivery("evt_once", "failed").await;
    assert_eq!(delivery["attempts"], 1);
    // The server's schedule (five retries 100 ms apart in tests) would have sent more by now.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(rx.received().len(), 1);

    let id = sub["id"].as_str().expect("id");
    let changed = app
        .call_with(
            "PATCH",
            &format!("/v1/subscriptions/{id}"),
            Some(json!({"retry": {"schedule": ["50ms", "50ms"]}})),
            Some(hookshape_tests::app::TOKEN),
            &[("if-match", sub["etag"].as_str().expect("etag"))],
        )
        .await;
    assert_eq!(changed.status, 200, "{changed:?}");
    assert_eq!(changed.body["retry"], json!({"schedule": ["50ms", "50ms"]}));
    app.publish(json!({"id": "evt_thrice", "type": "member.updated", "object": {}}))
        .await;
    let delivery = app.single_delivery("evt_thrice", "failed").await;
    assert_eq!(delivery["attempts"], 3, "one try and its own two retries");

    for (schedule, why) in [
        (json!(["soon"]), "not a duration"),
        (json!(["8days"]), "longer than a week"),
        (json!(vec!["1s"; 21]), "at most 20"),
    ] {
        let r = app
            .call(
                "POST",
                "/v1/subscriptions",
                Some(json!({"url": rx.url("/x"), "events": ["a.b"], "retry": {"schedule": schedule}})),
            )
            .await;
        assert_eq!(r.status, 422, "{r:?}");
        assert_eq!(r.body["code"], "invalid_retry");
        assert!(
            r.body["detail"].as_str().expect("detail").contains(why),
            "{r:?}"
        );
    }
}
