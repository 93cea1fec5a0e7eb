//! Batching: a subscription's events within a window go out as one request; a batch is
//! closed by its first attempt, retries resend the same events, and it survives a restart.

use std::time::Duration;

use hookshape_tests::app::{TestApp, test_config};
use hookshape_tests::receiver::{Answer, TestReceiver};
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(15);

fn parse(body: &str) -> Value {
    serde_json::from_str(body).expect("a JSON body")
}

/// The event ids in a batch body of default (`{"type","timestamp","data"}`) bodies.
fn ids(body: &str) -> Vec<String> {
    parse(body)
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|b| b["data"]["n"].as_str().expect("n").to_owned())
        .collect()
}

async fn publish_n(app: &TestApp, names: &[&str]) {
    for n in names {
        app.publish(json!({"id": n, "type": "member.updated", "object": {"n": n}}))
            .await;
    }
}

#[tokio::test]
async fn a_window_collects_events_into_one_signed_array() {
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    app.subscribe(json!({
        "url": rx.url("/batch"), "events": ["member.*"],
        "batch": {"maxEvents": 100, "maxWaitMs": 400}
    }))
    .await;
    publish_n(&app, &["b1", "b2", "b3"]).await;
    let got = rx.wait_for(1, WAIT).await;
    assert_eq!(ids(&got[0].body), ["b1", "b2", "b3"]);
    let delivery = app.single_delivery("b2", "succeeded").await;
    assert_eq!(delivery["events"], json!(["b1", "b2", "b3"]));
    // A batch is one message: its id, stable across retries, is the delivery's.
    assert_eq!(got[0].header("webhook-id"), delivery["id"].as_str());
    assert_eq!(
        delivery["attemptLog"][0]["request"]["body"],
        got[0].body.as_str()
    );
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(rx.received().len(), 1);
}

#[tokio::test]
async fn retries_resend_the_same_batch_and_later_events_start_a_new_one() {
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    rx.script([Answer::status(500)]);
    app.subscribe(json!({
        "url": rx.url("/batch"), "events": ["member.*"],
        "batch": {"maxEvents": 2, "maxWaitMs": 300}
    }))
    .await;
    publish_n(&app, &["r1", "r2"]).await;
    rx.wait_for(1, WAIT).await;
    publish_n(&app, &["r3"]).await;
    let got = rx.wait_for(3, WAIT).await;
    let mut batches: Vec<Vec<String>> = got.iter().map(|r| ids(&r.body)).collect();
    batches.sort();
    assert_eq!(batches, [vec!["r1", "r2"], vec!["r1", "r2"], vec!["r3"]]);
    let first = app.single_delivery("r1", "succeeded").await;
    assert_eq!(first["attempts"], 2);
    assert_eq!(first["events"], json!(["r1", "r2"]));
    let log = first["attemptLog"].as_array().expect("attempts");
    assert_eq!(log[0]["request"]["body"], log[1]["request"]["body"]);
    let later = app.single_delivery("r3", "succeeded").await;
    assert_ne!(later["id"], first["id"]);
}

#[tokio::test]
async fn items_at_joins_the_plugin_arrays_and_a_body_without_one_fails_the_attempt() {
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    let diff = app.upload("diff").await;
    app.subscribe(json!({
        "url": rx.url("/joined"), "events": ["doc.*"],
        "plugin": {"id": diff, "config": {"schema": "doc"}},
        "batch": {"maxEvents": 2, "maxWaitMs": 60000, "itemsAt": "/events"}
    }))
    .await;
    let broken = app
        .subscribe(json!({
            "url": rx.url("/broken"), "events": ["doc.*"],
            "batch": {"maxEvents": 2, "maxWaitMs": 60000, "itemsAt": "/events"}
        }))
        .await;
    for (id, doc) in [("j1", "d1"), ("j2", "d2")] {
        app.publish(json!({"id": id, "type": "doc.created", "occurredAt": "2024-11-08T21:49:46.733Z", "object": {"id": doc}}))
            .await;
    }
    let got = rx.wait_for(1, WAIT).await;
    assert_eq!(got[0].path, "/joined");
    assert_eq!(
        got[0].body,
        r#"{"date":"2024-11-08T21:49:46.733Z","events":[{"action":"create","schema":"doc","docId":"d1","docUpdatedDate":"2024-11-08T21:49:46.733Z"},{"action":"create","schema":"doc","docId":"d2","docUpdatedDate":"2024-11-08T21:49:46.733Z"}]}"#
    );
    let broken = app
        .deliveries("j1")
        .await
        .into_iter()
        .find(|d| d["subscriptionId"] == broken["id"])
        .expect("the /broken delivery");
    let id = broken["id"].as_str().expect("id");
    let detail = app.wait_delivery(id, "failed", WAIT).await;
    assert_eq!(detail["attemptLog"][0]["error"]["code"], "batch_assembly");
    assert_eq!(rx.received().len(), 1);
}

#[tokio::test]
async fn an_open_batch_survives_a_restart_and_keeps_taking_events() {
    let mut app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    app.subscribe(json!({
        "url": rx.url("/batch"), "events": ["member.*"],
        "batch": {"maxEvents": 10, "maxWaitMs": 2000}
    }))
    .await;
    publish_n(&app, &["s1", "s2"]).await;
    app.shutdown().await;
    assert!(rx.received().is_empty());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let server = hookshape::server::start(test_config(app.dir.path()), listener)
        .await
        .expect("restart");
    app.base = format!("http://{}", server.addr);
    app.server = Some(server);
    publish_n(&app, &["s3"]).await;
    let got = rx.wait_for(1, WAIT).await;
    assert_eq!(ids(&got[0].body), ["s1", "s2", "s3"]);
}

#[tokio::test]
async fn bad_batch_settings_are_refused() {
    let app = TestApp::spawn().await;
    for batch in [
        json!({"maxEvents": 0, "maxWaitMs": 10}),
        json!({"maxEvents": 5, "maxWaitMs": 99_999_999}),
        json!({"maxEvents": 5, "maxWaitMs": 10, "itemsAt": "events"}),
    ] {
        let r = app
            .call(
                "POST",
                "/v1/subscriptions",
                Some(json!({"url": "http://127.0.0.1:9/x", "events": ["*"], "batch": batch})),
            )
            .await;
        assert_eq!(r.status, 422, "{r:?}");
        assert_eq!(r.body["code"], "invalid_batch");
    }
}
