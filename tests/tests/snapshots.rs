//! Object snapshots: a source that sends only the current state still gets `previous`, so
//! OfficeRnD's `previousAttributes` (here from the Python plugin, uploaded to a real server)
//! is right on every update, across a restart, and starts over after a deletion.

use std::time::Duration;

use hookshape_tests::app::TestApp;
use hookshape_tests::lang::lang_plugin;
use hookshape_tests::receiver::TestReceiver;
use serde_json::{Value, json};

const CLI: &str = env!("CARGO_BIN_EXE_hookshape-cli");
const WAIT: Duration = Duration::from_secs(30);

fn member(status: &str, name: &str, plan: &str) -> Value {
    json!({"_id": "m1", "name": name, "status": status, "plan": plan, "office": "o1"})
}

/// An event as stored, by the answer to its publish.
async fn stored_event(app: &TestApp, accepted: &Value) -> Value {
    let id = accepted["id"].as_str().expect("id");
    app.call("GET", &format!("/v1/events/{id}"), None)
        .await
        .body
}

/// Publishes one event and returns the body the receiver got for it.
async fn send(app: &TestApp, rx: &TestReceiver, event: Value) -> Value {
    let before = rx.received().len();
    app.publish(event).await;
    let got = rx.wait_for(before + 1, WAIT).await;
    serde_json::from_str(&got[before].body).expect("json body")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updates_without_previous_get_it_from_the_snapshot_across_a_restart() {
    let mut app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    for name in ["member.created", "member.updated"] {
        let r = app
            .call(
                "POST",
                "/v1/event-types",
                Some(json!({"name": name, "snapshot": true})),
            )
            .await;
        assert_eq!(r.status, 201, "{r:?}");
        assert_eq!(r.body["snapshot"], true);
    }
    let upload = app
        .upload_bytes(lang_plugin(CLI, "python/previous-attributes"))
        .await;
    assert_eq!(upload.status, 201, "{upload:?}");
    app.subscribe(json!({
        "url": rx.url("/officernd"),
        "events": ["member.*"],
        "plugin": {"id": upload.body["id"]},
    }))
    .await;

    let v1 = member("drop-in", "Jon", "basic");
    let body = send(&app, &rx, json!({"type": "member.created", "object": v1})).await;
    assert_eq!(body["data"], json!({"object": v1}));

    let v2 = member("active", "Jon", "basic");
    let body = send(
        &app,
        &rx,
        json!({"id": "evt_v2", "type": "member.updated", "object": v2}),
    )
    .await;
    assert_eq!(
        body["data"]["previousAttributes"],
        json!({"status": "drop-in"})
    );
    // The stored event shows what the host filled in.
    let stored = app.call("GET", "/v1/events/evt_v2", None).await.body;
    assert_eq!(stored["previous"], v1, "{stored}");
    assert_eq!(stored["changedFields"], json!(["status"]));

    app.restart().await;
    let v3 = member("active", "Jon Brown", "pro");
    let body = send(&app, &rx, json!({"type": "member.updated", "object": v3})).await;
    assert_eq!(
        body["data"]["previousAttributes"],
        json!({"name": "Jon", "plan": "basic"})
    );

    // A `previous` the source sends wins, and the snapshot still moves on.
    let v4 = member("inactive", "Jon Brown", "pro");
    let body = send(
        &app,
        &rx,
        json!({"type": "member.updated", "object": v4, "previous": member("x", "Jon Brown", "pro")}),
    )
    .await;
    assert_eq!(body["data"]["previousAttributes"], json!({"status": "x"}));
    let v5 = member("inactive", "Jon Brown", "max");
    let body = send(&app, &rx, json!({"type": "member.updated", "object": v5})).await;
    assert_eq!(body["data"]["previousAttributes"], json!({"plan": "pro"}));

    // A deletion ends the object's history: the next update has nothing to compare with.
    send(
        &app,
        &rx,
        json!({"type": "member.removed", "object": v5, "snapshot": true}),
    )
    .await;
    let v6 = member("active", "Jo", "basic");
    let body = send(&app, &rx, json!({"type": "member.updated", "object": v6})).await;
    assert_eq!(body["data"]["previousAttributes"], json!({}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn snapshots_per_publish_keyed_per_object_and_capped_in_size() {
    let app = TestApp::spawn_with(|c| c.snapshot_max_bytes = 200).await;
    let rx = TestReceiver::start().await;
    app.subscribe(json!({"url": rx.url("/hooks"), "events": ["*"]}))
        .await;

    // Opted in per publish; a publish that does not opt in neither reads nor writes it.
    send(
        &app,
        &rx,
        json!({"type": "account.updated", "object": {"id": 1, "v": 1}, "snapshot": true}),
    )
    .await;
    send(
        &app,
        &rx,
        json!({"type": "account.updated", "object": {"id": 2, "v": 1}, "snapshot": true}),
    )
    .await;
    let plain = app
        .publish(json!({"type": "account.updated", "object": {"id": 1, "v": 9}}))
        .await;
    rx.wait_for(3, WAIT).await;
    let stored = stored_event(&app, &plain).await;
    assert_eq!(stored["previous"], Value::Null);

    // Each object has its own history (ids 1 and 2), by type and id.
    let e = app
        .publish(json!({"type": "account.updated", "object": {"id": 1, "v": 2}, "snapshot": true}))
        .await;
    rx.wait_for(4, WAIT).await;
    let stored = stored_event(&app, &e).await;
    assert_eq!(stored["previous"], json!({"id": 1, "v": 1}));
    assert_eq!(stored["changedFields"], json!(["v"]));

    // Test traffic, another tenant and a sub-resource each have their own history.
    for other in [
        json!({"type": "account.updated", "object": {"id": 1, "v": "test"}, "live": false, "snapshot": true}),
        json!({"type": "account.updated", "object": {"id": 1, "v": "t2"}, "tenant": "site-2", "snapshot": true}),
        json!({"type": "account.billing.updated", "object": {"id": 1, "v": "b"}, "snapshot": true}),
    ] {
        app.publish(other).await;
    }
    let e = app
        .publish(json!({"type": "account.updated", "object": {"id": 1, "v": 3}, "snapshot": true}))
        .await;
    let id = e["id"].as_str().expect("id").to_owned();
    let stored = stored_event(&app, &e).await;
    assert_eq!(stored["previous"], json!({"id": 1, "v": 2}));
    // Publishing a stored event again does not move the history back.
    let again = app
        .call(
            "POST",
            "/v1/events",
            Some(json!({"id": id, "type": "account.updated", "object": {"id": 1, "v": 3}, "snapshot": true})),
        )
        .await;
    assert_eq!(again.body["duplicate"], true, "{again:?}");
    rx.wait_for(7, WAIT).await;

    // An object over the cap is not kept, and the older version is forgotten with it.
    let big = json!({"id": 1, "v": 3, "blob": "x".repeat(300)});
    send(
        &app,
        &rx,
        json!({"type": "account.updated", "object": big, "snapshot": true}),
    )
    .await;
    let e = app
        .publish(json!({"type": "account.updated", "object": {"id": 1, "v": 4}, "snapshot": true}))
        .await;
    rx.wait_for(9, WAIT).await;
    let stored = stored_event(&app, &e).await;
    assert_eq!(stored["previous"], Value::Null, "{stored}");
}

#[tokio::test]
async fn a_bad_snapshot_key_is_refused() {
    let app = TestApp::spawn().await;
    let r = app
        .call(
            "POST",
            "/v1/event-types",
            Some(json!({"name": "member.updated", "snapshot": true, "snapshotKey": "a..b"})),
        )
        .await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (422, Some("invalid_snapshot_key")),
        "{r:?}"
    );
}
