//! The seeds' wire formats, end to end: a subscription set up as docs/recipes.md says,
//! the seed's own sample object published, the real request received on loopback, its
//! signature checked by code that is not ours (the seed's snippets in Node and Python, and
//! the `standardwebhooks` package), and its body's shape compared with the seed's example.

use std::time::Duration;

use hookshape_tests::app::TestApp;
use hookshape_tests::receiver::{Answer, TestReceiver};
use hookshape_tests::seeds;
use hookshape_tests::verify::{Verifier, shape};
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(15);
const SECRET: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

fn parse(body: &str) -> Value {
    serde_json::from_str(body).expect("a JSON body")
}

/// Seed 000's example request body.
fn famly_example() -> Value {
    json!({
        "requestId": "01HBZQ60T0E834D3KCE7P3TVF3",
        "eventId": "5dc5bfcf-59b6-46d2-a1c9-b9d41e9f61c7",
        "siteSetId": "6d130c40-93aa-44c2-8f5b-3d52b310e34e",
        "eventTime": "2023-10-05T10:47:21Z",
        "operation": "Updated",
        "objectType": "ChildEvent",
        "data": seeds::famly_child()
    })
}

#[tokio::test]
async fn famly_requests_verify_with_crypto_js_and_get_a_new_request_id_per_attempt() {
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    rx.script([Answer::status(500)]);
    let plugin = app.upload("famly-envelope").await;
    app.subscribe(json!({
        "url": rx.url("/famly"),
        "events": ["child.*"],
        "plugin": {"id": plugin, "config": {"objectTypes": {"child": "ChildEvent"}}},
        "signing": {"scheme": "hex-hmac", "header": "X-Famly-Hmac"},
        "secret": SECRET
    }))
    .await;
    app.publish(json!({
        "id": "5dc5bfcf-59b6-46d2-a1c9-b9d41e9f61c7",
        "type": "child.updated",
        "tenant": "6d130c40-93aa-44c2-8f5b-3d52b310e34e",
        "occurredAt": "2023-10-05T10:47:21Z",
        "object": seeds::famly_child()
    }))
    .await;
    let got = rx.wait_for(2, WAIT).await;
    let (first, second) = (parse(&got[0].body), parse(&got[1].body));
    for req in &got {
        assert!(req.header("x-famly-hmac").is_some(), "{req:?}");
        Verifier::Famly.check(SECRET, req);
    }
    assert_eq!(shape(&first), shape(&famly_example()));
    let mut expected = famly_example();
    expected["requestId"] = first["requestId"].clone();
    assert_eq!(first, expected);
    assert_ne!(first["requestId"], second["requestId"]);
    assert_eq!(first["eventId"], second["eventId"]);
}

/// Seed 001's example request body (the signature's value aside).
fn firm_app_example() -> Value {
    let date = "2024-11-08T21:49:46.733Z";
    json!({
        "payload": {
            "date": date,
            "events": [
                {"action": "update", "schema": "user", "docId": "ussampleuser1id", "docUpdatedDate": date, "diff": {"name": "Sam Smith"}},
                {"action": "create", "schema": "user", "docId": "ussampleuser2id", "docUpdatedDate": date},
                {"action": "delete", "schema": "user", "docId": "ussampleuser3id", "docUpdatedDate": date}
            ]
        },
        "signature": "1821e17f3bb302b589c5a3a04e91766642e90713d99aa83cf047425f15e45d69"
    })
}

#[tokio::test]
async fn firm_app_batches_field_changes_and_verifies_with_json_stringify() {
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    let plugin = app.upload("diff").await;
    app.subscribe(json!({
        "url": rx.url("/firm"),
        "events": ["user.*"],
        "fields": ["name"],
        "plugin": {"id": plugin, "config": {"schema": "user"}},
        "signing": {"scheme": "body-signature"},
        "batch": {"maxEvents": 3, "maxWaitMs": 60000, "itemsAt": "/events"},
        "secret": SECRET
    }))
    .await;
    let at = "2024-11-08T21:49:46.733Z";
    let events = [
        json!({"id": "fa1", "type": "user.updated", "occurredAt": at,
               "object": {"id": "ussampleuser1id", "name": "Sam Smith", "age": 30},
               "previous": {"id": "ussampleuser1id", "name": "Sam", "age": 30}}),
        // Only `age` changed: not a field this subscription asked for.
        json!({"id": "fa2", "type": "user.updated", "occurredAt": at,
               "object": {"id": "ussampleuser1id", "name": "Sam Smith", "age": 31},
               "previous": {"id": "ussampleuser1id", "name": "Sam Smith", "age": 30}}),
        json!({"id": "fa3", "type": "user.created", "occurredAt": at,
               "object": {"id": "ussampleuser2id", "name": "Ann"}}),
        json!({"id": "fa4", "type": "user.deleted", "occurredAt": at,
               "object": {"id": "ussampleuser3id", "name": "Bo"}}),
    ];
    for e in events {
        app.publish(e).await;
    }
    // Three events fill the batch: it goes out at once, not after the 60 s window.
    let got = rx.wait_for(1, WAIT).await;
    let req = &got[0];
    Verifier::FirmApp.check(SECRET, req);
    let body = parse(&req.body);
    assert_eq!(shape(&body), shape(&firm_app_example()));
    assert_eq!(body["payload"], firm_app_example()["payload"]);
    assert!(app.deliveries("fa2").await.is_empty());

    let delivery = app.single_delivery("fa1", "succeeded").await;
    assert_eq!(delivery["events"], json!(["fa1", "fa3", "fa4"]));
    assert_eq!(app.deliveries("fa4").await[0]["id"], delivery["id"]);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(rx.received().len(), 1);
}

#[tokio::test]
async fn firm_app_payload_text_is_what_javascript_writes() {
    // Numbers and keys that a plain serializer writes differently from JSON.stringify.
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    let plugin = app.upload("passthrough").await;
    app.subscribe(json!({
        "url": rx.url("/firm"),
        "events": ["*"],
        "plugin": {"id": plugin},
        "signing": {"scheme": "body-signature"},
        "secret": SECRET
    }))
    .await;
    let tricky = json!({"whole": 1.0, "big": 12345678901234567890u64, "tiny": 1e-7, "10": "index",
                        "2": "first", "text": "é \u{2028} \"q\" 😀", "nested": [1.50, {"z": 0.1}]});
    app.publish(json!({"id": "js1", "type": "doc.updated", "object": tricky}))
        .await;
    let got = rx.wait_for(1, WAIT).await;
    Verifier::FirmApp.check(SECRET, &got[0]);
}

/// Seed 002's `member.removed` example body.
fn officernd_removed_example() -> Value {
    json!({
        "event": "5f8715ca1e74e400d4164ea6",
        "eventType": "member.removed",
        "data": {"object": seeds::officernd_member()},
        "createdAt": "2020-10-14T15:14:18.042Z"
    })
}

#[tokio::test]
async fn officernd_requests_verify_with_the_four_steps_in_python() {
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    let plugin = app.upload("previous-attributes").await;
    app.subscribe(json!({
        "url": rx.url("/officernd"),
        "events": ["member.*"],
        "plugin": {"id": plugin},
        "signing": {"scheme": "timestamped-hmac", "header": "officernd-signature"},
        "secret": SECRET
    }))
    .await;
    app.publish(json!({
        "id": "5f8715ca1e74e400d4164ea6", "type": "member.removed",
        "occurredAt": "2020-10-14T15:14:18.042Z", "object": seeds::officernd_member()
    }))
    .await;
    let mut before = seeds::officernd_member();
    before["status"] = json!("drop-in");
    before["name"] = json!("Jon Brown");
    app.publish(json!({
        "id": "5f8715ca1e74e400d4164ea7", "type": "member.updated",
        "object": seeds::officernd_member(), "previous": before
    }))
    .await;
    let mut got = rx.wait_for(2, WAIT).await;
    got.sort_by_key(|r| r.body.contains("member.updated"));
    for req in &got {
        let header = req.header("officernd-signature").expect("signature header");
        assert!(
            header.starts_with("t=") && header.contains(",signature="),
            "{header}"
        );
        Verifier::OfficeRnd.check(SECRET, req);
    }
    let removed = parse(&got[0].body);
    assert_eq!(removed, officernd_removed_example());
    let updated = parse(&got[1].body);
    assert_eq!(
        updated["data"]["previousAttributes"],
        json!({"status": "drop-in", "name": "Jon Brown"})
    );
    assert_eq!(updated["data"]["object"], seeds::officernd_member());
}

#[tokio::test]
async fn standard_webhooks_verify_with_the_pypi_package_during_a_rotation_too() {
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    let sub = app
        .subscribe(json!({"url": rx.url("/std"), "events": ["member.*"]}))
        .await;
    let old = sub["secret"].as_str().expect("secret").to_owned();
    let id = sub["id"].as_str().expect("id");
    app.publish(
        json!({"id": "sw1", "type": "member.created", "object": seeds::officernd_member()}),
    )
    .await;
    let rotated = app
        .call(
            "POST",
            &format!("/v1/subscriptions/{id}/secret/rotate"),
            Some(json!({})),
        )
        .await;
    assert_eq!(rotated.status, 200, "{rotated:?}");
    let new = rotated.body["secret"]
        .as_str()
        .expect("new secret")
        .to_owned();
    app.publish(
        json!({"id": "sw2", "type": "member.created", "object": seeds::officernd_member()}),
    )
    .await;
    let got = rx.wait_for(2, WAIT).await;
    for req in &got {
        Verifier::StandardWebhooks.check(&old, req);
    }
    let after = got
        .iter()
        .find(|r| r.header("webhook-id") == Some("sw2"))
        .expect("sw2 arrived");
    Verifier::StandardWebhooks.check(&new, after);
    assert!(!Verifier::StandardWebhooks.accepts(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        &after.headers,
        &after.body
    ));
}

#[tokio::test]
async fn the_documented_recipes_create_their_subscriptions_as_pasted() {
    let section =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/recipes.md"))
            .expect("docs/recipes.md");
    let recipes: Vec<&str> = section
        .split("```json\n")
        .skip(1)
        .filter_map(|block| block.split("\n```").next())
        .collect();
    assert_eq!(recipes.len(), 3, "{recipes:?}");
    let app = TestApp::spawn().await;
    for recipe in recipes {
        let mut text = recipe.to_owned();
        for plugin in ["famly_envelope", "diff", "previous_attributes"] {
            let placeholder = format!("<{plugin} id>");
            if text.contains(&placeholder) {
                let id = app.upload(&plugin.replace('_', "-")).await;
                text = text.replace(&placeholder, &id);
            }
        }
        let body: Value = serde_json::from_str(&text).expect("the recipe is JSON");
        let created = app.subscribe(body.clone()).await;
        assert_eq!(created["url"], body["url"]);
        assert_eq!(created["signing"]["scheme"], body["signing"]["scheme"]);
    }
}
