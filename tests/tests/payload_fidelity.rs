//! Numbers and key order that no plugin changed reach the receiver as published: `-0`, a
//! 30-digit integer, `1.0`, keys out of alphabetical order — through the host's default body,
//! a passthrough plugin (the Rust SDK's parse and print) and `select-fields`, and in the
//! stored event as the API shows it. An exponent is written with its sign (`1e21` arrives as
//! `1e+21`: the same number, the same digits).

use std::time::Duration;

use hookshape_tests::app::{TOKEN, TestApp};
use hookshape_tests::receiver::TestReceiver;
use serde_json::json;

/// Written as text: building it with `json!` would already have rewritten the numbers.
const OBJECT: &str = r#"{"id":"mem_1","zero":-0,"big":1e21,"digits":123456789012345678901234567890,"one":1.0,"tenth":0.1,"z":1,"a":2}"#;

/// What must survive, as it appears in compact JSON.
const KEPT: &[&str] = &[
    r#""zero":-0"#,
    r#""big":1e+21"#,
    r#""digits":123456789012345678901234567890"#,
    r#""one":1.0"#,
    r#""tenth":0.1,"z":1,"a":2"#,
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn numbers_and_key_order_pass_through_untouched() {
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    let passthrough = app.upload("passthrough").await;
    let select = app.upload("select-fields").await;
    app.subscribe(json!({"url": rx.url("/plain"), "events": ["*"]}))
        .await;
    app.subscribe(
        json!({"url": rx.url("/passthrough"), "events": ["*"], "plugin": {"id": passthrough}}),
    )
    .await;
    app.subscribe(
        json!({"url": rx.url("/select"), "events": ["*"], "plugin": {"id": select,
        "config": {"fields": ["zero", "big", "digits", "one", "tenth", "z", "a"]}}}),
    )
    .await;

    let published = app
        .client
        .post(format!("{}/v1/events", app.base))
        .bearer_auth(TOKEN)
        .header("content-type", "application/json")
        .body(format!(
            r#"{{"id":"evt_numbers","type":"member.updated","object":{OBJECT}}}"#
        ))
        .send()
        .await
        .expect("publish");
    assert_eq!(published.status(), 202);

    let got = rx.wait_for(3, Duration::from_secs(20)).await;
    let mut paths: Vec<&str> = got.iter().map(|r| r.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(paths, ["/passthrough", "/plain", "/select"]);
    for r in &got {
        for kept in KEPT {
            assert!(
                r.body.contains(kept),
                "{}: {kept} was rewritten in {}",
                r.path,
                r.body
            );
        }
    }

    let stored = app
        .client
        .get(format!("{}/v1/events/evt_numbers", app.base))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("read");
    let text = stored.text().await.expect("body");
    for kept in KEPT {
        assert!(
            text.contains(kept),
            "the stored event shows {kept} rewritten: {text}"
        );
    }
}

/// Famly's `siteSetId` is on every event: a source that publishes into a site's workspace
/// without `tenant` gets the site as the tenant; one that names a tenant keeps its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn famly_site_set_id_is_the_site_a_source_publishes_into() {
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    app.create_workspace("site_1", None).await;
    let envelope = app.upload_in("site_1", "famly-envelope").await;
    let sub = app
        .call(
            "POST",
            "/v1/workspaces/site_1/subscriptions",
            Some(json!({"url": rx.url("/famly"), "events": ["*"], "plugin": {"id": envelope}})),
        )
        .await;
    assert_eq!(sub.status, 201, "{sub:?}");
    for (id, tenant) in [("evt_site", None), ("evt_named", Some("site_set_9"))] {
        let mut body = json!({"id": id, "type": "child.updated", "object": {"childId": "c_1"}});
        if let Some(t) = tenant {
            body["tenant"] = json!(t);
        }
        let r = app
            .call("POST", "/v1/workspaces/site_1/events", Some(body))
            .await;
        assert_eq!(r.status, 202, "{r:?}");
    }
    let got = rx.wait_for(2, Duration::from_secs(20)).await;
    let site_set = |event: &str| -> serde_json::Value {
        got.iter()
            .map(|r| serde_json::from_str::<serde_json::Value>(&r.body).expect("json"))
            .find(|v| v["eventId"] == event)
            .map(|v| v["siteSetId"].clone())
            .expect("delivered")
    };
    assert_eq!(site_set("evt_site"), json!("site_1"));
    assert_eq!(site_set("evt_named"), json!("site_set_9"));
}
