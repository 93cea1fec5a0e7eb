//! Shadow versions of a subscription's plugin, against a real server and receiver: a
//! candidate runs on every event and is compared, not sent; promote and roll back change what
//! the receiver gets; a crashing candidate never touches a delivery; a canary sends for real.

use std::time::{Duration, Instant};

use hookshape_tests::app::{Reply, TestApp};
use hookshape_tests::receiver::TestReceiver;
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(30);

fn member(n: u32) -> Value {
    json!({"type": "member.updated", "id": format!("evt_{n}"), "tenant": "site-1",
           "object": {"id": format!("m{n}"), "name": "Ada"}})
}

/// Publishes the events and waits until the receiver has `total` requests.
async fn send_all(app: &TestApp, rx: &TestReceiver, events: &[Value], total: usize) -> Vec<Value> {
    for e in events {
        app.publish(e.clone()).await;
    }
    rx.wait_for(total, WAIT)
        .await
        .iter()
        .map(|r| serde_json::from_str(&r.body).expect("json body"))
        .collect()
}

/// A call on a subscription's candidate (`/v1/subscriptions/{sub}/candidate`).
async fn on_candidate(app: &TestApp, sub: &str, method: &str, body: Option<Value>) -> Reply {
    app.call(method, &format!("/v1/subscriptions/{sub}/candidate"), body)
        .await
}

/// The candidate report, once `counted` comparisons are in.
async fn report(app: &TestApp, sub: &str, counted: u64) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        let r = on_candidate(app, sub, "GET", None).await;
        assert_eq!(r.status, 200, "{r:?}");
        let total: u64 = r.body["counts"]
            .as_object()
            .expect("counts")
            .values()
            .filter_map(Value::as_u64)
            .sum();
        if total >= counted || Instant::now() > deadline {
            return r.body;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_differing_candidate_is_compared_then_promoted_and_rolled_back() {
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    let famly = app.upload("famly-envelope").await;
    let created = app
        .subscribe(json!({
            "url": rx.url("/famly"), "events": ["member.*"],
            "plugin": {"id": famly, "config": {"objectTypes": {"member": "Member"}}},
        }))
        .await;
    let sub = created["id"].as_str().expect("id").to_owned();

    // The candidate differs on one field: `objectType`.
    let r = on_candidate(
        &app,
        &sub,
        "PUT",
        Some(json!({"plugin": {"id": famly, "config": {"objectTypes": {"member": "Person"}}}})),
    )
    .await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.body["candidate"]["percent"], 0);

    let got = send_all(&app, &rx, &[member(1), member(2), member(3)], 3).await;
    assert!(
        got.iter().all(|b| b["objectType"] == "Member"),
        "the candidate's output is never sent"
    );
    let report = report(&app, &sub, 3).await;
    assert_eq!(report["counts"]["differ"], 3, "{report}");
    assert_eq!(report["counts"]["match"], 0);
    let differences = report["differences"].as_array().expect("differences");
    assert_eq!(differences.len(), 3);
    for d in differences {
        assert_eq!(d["verdict"], "differ");
        assert_eq!(
            d["changes"],
            json!([{"path": "/objectType", "current": "Member", "candidate": "Person"}]),
            "exactly the one field: the same attempt id makes requestId equal"
        );
        let current: Value =
            serde_json::from_str(d["current"]["body"].as_str().expect("body")).expect("json");
        let candidate: Value =
            serde_json::from_str(d["candidate"]["body"].as_str().expect("body")).expect("json");
        assert_eq!(current["requestId"], candidate["requestId"]);
        assert_eq!(candidate["objectType"], "Person");
    }

    // A plugin in use as a candidate cannot be deleted from under it.
    let other = app.upload("passthrough").await;
    let r = on_candidate(&app, &sub, "PUT", Some(json!({"plugin": {"id": other}}))).await;
    assert_eq!(r.status, 200, "{r:?}");
    let r = app
        .call("DELETE", &format!("/v1/plugins/{other}"), None)
        .await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (409, Some("plugin_in_use")),
        "{r:?}"
    );
    let r = on_candidate(
        &app,
        &sub,
        "PUT",
        Some(json!({"plugin": {"id": famly, "config": {"objectTypes": {"member": "Person"}}}})),
    )
    .await;
    assert_eq!(r.status, 200, "{r:?}");

    // Promote: the receiver now gets the candidate's output; the old plugin is kept.
    let r = app
        .call(
            "POST",
            &format!("/v1/subscriptions/{sub}/candidate/promote"),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(
        r.body["plugin"]["config"]["objectTypes"]["member"],
        "Person"
    );
    assert_eq!(
        r.body["previousPlugin"]["config"]["objectTypes"]["member"],
        "Member"
    );
    assert!(r.body.get("candidate").is_none());
    let got = send_all(&app, &rx, &[member(4)], 4).await;
    assert_eq!(got[3]["objectType"], "Person");

    // Roll back: the old output again, and the history tells the story.
    let r = app
        .call("POST", &format!("/v1/subscriptions/{sub}/rollback"), None)
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let got = send_all(&app, &rx, &[member(5)], 5).await;
    assert_eq!(got[4]["objectType"], "Member");
    let actions: Vec<&str> = r.body["pluginHistory"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|h| h["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        ["candidate", "candidate", "candidate", "promote", "rollback"]
    );
    let r = on_candidate(&app, &sub, "GET", None).await;
    assert_eq!(r.status, 404, "the rollback ends the trial");
    // The plugin rolled back is now `previousPlugin`: a second rollback goes forward again.
    let again = app
        .call("POST", &format!("/v1/subscriptions/{sub}/rollback"), None)
        .await;
    assert_eq!(
        again.body["plugin"]["config"]["objectTypes"]["member"],
        "Person"
    );
    // A plugin changed with PATCH can be rolled back too.
    let patched = app
        .call(
            "PATCH",
            &format!("/v1/subscriptions/{sub}"),
            Some(json!({"plugin": {"id": famly, "config": {"objectTypes": {"member": "Human"}}}})),
        )
        .await;
    assert_eq!(
        patched.body["previousPlugin"]["config"]["objectTypes"]["member"],
        "Person"
    );
    let back = app
        .call("POST", &format!("/v1/subscriptions/{sub}/rollback"), None)
        .await;
    assert_eq!(
        back.body["plugin"]["config"]["objectTypes"]["member"],
        "Person"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crashing_candidate_never_affects_a_delivery() {
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    let passthrough = app.upload("passthrough").await;
    let misbehave = app.upload("misbehave").await;
    let created = app
        .subscribe(json!({"url": rx.url("/hooks"), "events": ["*"], "plugin": {"id": passthrough}}))
        .await;
    let sub = created["id"].as_str().expect("id").to_owned();
    let r = on_candidate(
        &app,
        &sub,
        "PUT",
        Some(json!({"plugin": {"id": misbehave, "config": {"mode": "panic"}}})),
    )
    .await;
    assert_eq!(r.status, 200, "{r:?}");
    let events: Vec<Value> = (10..14).map(member).collect();
    let got = send_all(&app, &rx, &events, 4).await;
    assert!(got.iter().all(|b| b["type"] == "member.updated"));
    for n in 10..14 {
        let d = app.single_delivery(&format!("evt_{n}"), "succeeded").await;
        assert_eq!(d["attempts"], 1);
        assert_eq!(d["attemptLog"][0]["pluginId"], passthrough.as_str());
    }
    let report = report(&app, &sub, 4).await;
    assert_eq!(report["counts"]["candidate_error"], 4, "{report}");
    let d = &report["differences"][0];
    assert_eq!(d["verdict"], "candidate_error");
    assert!(
        d["candidate"]["error"]
            .as_str()
            .expect("error")
            .contains("panic"),
        "{d}"
    );
    assert_eq!(d["current"]["outcome"], "deliver");

    // Stopping it: no candidate any more, and nothing else changed.
    let r = on_candidate(&app, &sub, "DELETE", None).await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.body["plugin"]["id"], passthrough.as_str());
    let r = on_candidate(&app, &sub, "DELETE", None).await;
    assert_eq!(r.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_canary_sends_the_candidate_and_records_its_plugin_id() {
    let app = TestApp::spawn().await;
    let rx = TestReceiver::start().await;
    let passthrough = app.upload("passthrough").await;
    let famly = app.upload("famly-envelope").await;
    let created = app
        .subscribe(json!({"url": rx.url("/hooks"), "events": ["*"], "plugin": {"id": passthrough}}))
        .await;
    let sub = created["id"].as_str().expect("id").to_owned();
    let bad = on_candidate(
        &app,
        &sub,
        "PUT",
        Some(json!({"plugin": {"id": famly}, "percent": 101})),
    )
    .await;
    assert_eq!(
        (bad.status, bad.body["code"].as_str()),
        (422, Some("invalid_percent"))
    );
    let unknown = on_candidate(
        &app,
        &sub,
        "PUT",
        Some(json!({"plugin": {"id": "plg_nope"}})),
    )
    .await;
    assert_eq!(unknown.status, 422, "{unknown:?}");
    let r = on_candidate(
        &app,
        &sub,
        "PUT",
        Some(json!({"plugin": {"id": famly}, "percent": 100})),
    )
    .await;
    assert_eq!(r.status, 200, "{r:?}");
    let got = send_all(&app, &rx, &[member(20), member(21)], 2).await;
    assert!(got.iter().all(|b| b["objectType"] == "Member"), "{got:?}");
    let d = app.single_delivery("evt_20", "succeeded").await;
    assert_eq!(d["attemptLog"][0]["pluginId"], famly.as_str());
    let report = report(&app, &sub, 2).await;
    assert_eq!(report["counts"]["canary"], 2, "{report}");
}
