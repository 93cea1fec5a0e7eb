//! Delivery under stress: a dead endpoint's circuit opens and its deliveries wait (not burned
//! through retries), a probe closes it when the endpoint is back and the backlog arrives in
//! order of due time; a long outage disables the subscription and tells its workspace; a
//! rate limit spaces attempts; a receiver's Retry-After pauses its subscription.

use std::time::{Duration, Instant};

use hookshape::dispatch::{CircuitConfig, RetryPolicy};
use hookshape_tests::app::TestApp;
use hookshape_tests::child::free_port;
use hookshape_tests::receiver::{Answer, TestReceiver};
use serde_json::{Value, json};

fn circuit(failures: u32, cooldown_ms: u64, disable_after: Option<Duration>) -> CircuitConfig {
    CircuitConfig {
        failures,
        cooldown: Duration::from_millis(cooldown_ms),
        max_cooldown: Duration::from_millis(cooldown_ms),
        disable_after,
    }
}

async fn subscription(app: &TestApp, id: &str) -> Value {
    let r = app
        .call("GET", &format!("/v1/subscriptions/{id}"), None)
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    r.body
}

async fn wait_circuit(app: &TestApp, id: &str, state: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let sub = subscription(app, id).await;
        if sub["circuit"]["state"] == state {
            return sub;
        }
        assert!(Instant::now() < deadline, "circuit never {state}: {sub}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn attempts_of(app: &TestApp, sub: &str) -> (u64, Vec<Value>) {
    let r = app
        .call(
            "GET",
            &format!("/v1/subscriptions/{sub}/deliveries?limit=250"),
            None,
        )
        .await;
    let list = r.body["data"].as_array().cloned().unwrap_or_default();
    (
        list.iter()
            .map(|d| d["attempts"].as_u64().unwrap_or(0))
            .sum(),
        list,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_endpoint_waits_behind_its_circuit_then_gets_its_backlog_in_due_order() {
    let app = TestApp::spawn_with(|c| {
        c.per_subscription = 1;
        c.circuit = circuit(3, 1500, None);
        c.retry = RetryPolicy {
            schedule: vec![Duration::from_millis(50); 30],
            jitter: 0.0,
            max_retry_after: Duration::from_secs(60),
        };
    })
    .await;
    let healthy = TestReceiver::start().await;
    let port = free_port();
    let dead = app
        .subscribe(json!({"url": format!("http://127.0.0.1:{port}/back"), "events": ["a.b"]}))
        .await;
    let dead_id = dead["id"].as_str().expect("id").to_owned();
    app.subscribe(json!({"url": healthy.url("/ok"), "events": ["a.b"]}))
        .await;
    for n in 0..8 {
        app.publish(json!({"type": "a.b", "object": {"n": n}}))
            .await;
    }
    let open = wait_circuit(&app, &dead_id, "open").await;
    assert_eq!(open["circuit"]["failures"], 3, "{open}");
    assert!(open["circuit"]["probeAt"].is_string());
    // The healthy subscription is not held back.
    healthy.wait_for(8, Duration::from_secs(5)).await;

    // While open, no attempt is made and nothing is failed.
    let (before, list) = attempts_of(&app, &dead_id).await;
    assert_eq!(before, 3);
    assert!(list.iter().all(|d| d["status"] == "pending"), "{list:?}");
    let mut due: Vec<(String, u64)> = list
        .iter()
        .map(|d| {
            let at = d["nextAttempt"].as_str().expect("due");
            let ms = hookshape::model::time::parse_rfc3339(at).expect("time");
            let event: Value = d["eventId"].clone();
            (event.as_str().expect("event").to_owned(), ms)
        })
        .collect();
    due.sort_by_key(|(id, at)| (*at, id.clone()));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(attempts_of(&app, &dead_id).await.0, before);

    // The endpoint comes back: the probe closes the circuit and the backlog follows.
    let back = TestReceiver::start_on(port).await;
    let got = back.wait_for(8, Duration::from_secs(15)).await;
    wait_circuit(&app, &dead_id, "closed").await;
    let order: Vec<String> = got
        .iter()
        .map(|r| r.header("webhook-id").expect("id").to_owned())
        .collect();
    let expected: Vec<String> = due.into_iter().map(|(id, _)| id).collect();
    assert_eq!(order, expected, "arrivals follow due time");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_circuit_closed_by_hand_lets_attempts_go_at_once() {
    let app = TestApp::spawn_with(|c| c.circuit = circuit(1, 60_000, None)).await;
    let port = free_port();
    let sub = app
        .subscribe(json!({"url": format!("http://127.0.0.1:{port}/x"), "events": ["a.b"]}))
        .await;
    let id = sub["id"].as_str().expect("id").to_owned();
    app.publish(json!({"type": "a.b", "object": {}})).await;
    wait_circuit(&app, &id, "open").await;
    let back = TestReceiver::start_on(port).await;
    let r = app
        .call(
            "POST",
            &format!("/v1/subscriptions/{id}/circuit/close"),
            None,
        )
        .await;
    assert_eq!(r.body["circuit"]["state"], "closed", "{r:?}");
    back.wait_for(1, Duration::from_secs(5)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_outage_disables_the_subscription_and_tells_the_workspace() {
    let app = TestApp::spawn_with(|c| {
        c.circuit = circuit(1, 50, Some(Duration::from_millis(300)));
        c.retry.schedule = vec![Duration::from_millis(20); 100];
    })
    .await;
    let alerts = TestReceiver::start().await;
    app.subscribe(
        json!({"url": alerts.url("/alerts"), "events": ["hookshape.subscription.disabled"]}),
    )
    .await;
    let port = free_port();
    let dead = app
        .subscribe(json!({"url": format!("http://127.0.0.1:{port}/x"), "events": ["a.b"]}))
        .await;
    let id = dead["id"].as_str().expect("id").to_owned();
    app.publish(json!({"type": "a.b", "object": {}})).await;
    let got = alerts.wait_for(1, Duration::from_secs(15)).await;
    let body: Value = serde_json::from_str(&got[0].body).expect("json");
    assert_eq!(body["type"], "hookshape.subscription.disabled");
    assert_eq!(body["data"]["subscriptionId"], id.as_str());
    let sub = subscription(&app, &id).await;
    assert_eq!(sub["status"], "disabled");
    assert!(
        sub["disabledReason"]
            .as_str()
            .is_some_and(|r| r.contains("kept failing")),
        "{sub}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limit_spaces_attempts_without_failing_them() {
    let app = TestApp::spawn().await;
    let receiver = TestReceiver::start().await;
    let bad = app
        .call(
            "POST",
            "/v1/subscriptions",
            Some(json!({"url": receiver.url("/x"), "events": ["a.b"], "rateLimit": {"perSecond": 0}})),
        )
        .await;
    assert_eq!(bad.body["code"], "invalid_rate_limit");
    let sub = app
        .subscribe(json!({"url": receiver.url("/paced"), "events": ["a.b"], "rateLimit": {"perSecond": 5, "burst": 1}}))
        .await;
    assert_eq!(sub["rateLimit"], json!({"perSecond": 5, "burst": 1}));
    for n in 0..6 {
        app.publish(json!({"type": "a.b", "object": {"n": n}}))
            .await;
    }
    let got = receiver.wait_for(6, Duration::from_secs(10)).await;
    let spread = got[5].at - got[0].at;
    assert!(spread >= Duration::from_millis(850), "{spread:?}");
    // The last answer may still be being recorded.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (attempts, list) = attempts_of(&app, sub["id"].as_str().expect("id")).await;
        if list.iter().all(|d| d["status"] == "succeeded") {
            assert_eq!(attempts, 6, "one attempt each: {list:?}");
            break;
        }
        assert!(Instant::now() < deadline, "{list:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receivers_retry_after_pauses_its_subscription() {
    let app = TestApp::spawn_with(|c| c.per_subscription = 1).await;
    let receiver = TestReceiver::start().await;
    receiver.script([Answer::status(429).header("Retry-After", "1")]);
    app.subscribe(json!({"url": receiver.url("/busy"), "events": ["a.b"]}))
        .await;
    for n in 0..2 {
        app.publish(json!({"type": "a.b", "object": {"n": n}}))
            .await;
    }
    let got = receiver.wait_for(3, Duration::from_secs(10)).await;
    let waited = got[1].at - got[0].at;
    assert!(waited >= Duration::from_millis(900), "{waited:?}");
}

/// One workspace's backlog to slow endpoints takes at most its share of the slots: another
/// workspace's fresh events still go at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_workspaces_backlog_leaves_slots_for_the_others() {
    let app = TestApp::spawn_with(|c| {
        c.concurrency = 8;
        c.per_subscription = 4;
        c.per_workspace = 4;
        c.timeout = Duration::from_secs(5);
    })
    .await;
    for ws in ["busy", "calm"] {
        let r = app
            .call(
                "POST",
                "/v1/workspaces",
                Some(json!({"id": ws, "name": ws})),
            )
            .await;
        assert_eq!(r.status, 201);
    }
    let slow = TestReceiver::start().await;
    slow.script((0..200).map(|_| Answer::status(200).delay(Duration::from_secs(1))));
    for i in 0..3 {
        let r = app
            .call(
                "POST",
                "/v1/workspaces/busy/subscriptions",
                Some(json!({"url": slow.url(&format!("/slow{i}")), "events": ["a.b"]})),
            )
            .await;
        assert_eq!(r.status, 201);
    }
    let calm = TestReceiver::start().await;
    let r = app
        .call(
            "POST",
            "/v1/workspaces/calm/subscriptions",
            Some(json!({"url": calm.url("/calm"), "events": ["a.b"]})),
        )
        .await;
    assert_eq!(r.status, 201);
    for n in 0..20 {
        app.call(
            "POST",
            "/v1/workspaces/busy/events",
            Some(json!({"type": "a.b", "object": {"n": n}})),
        )
        .await;
    }
    // The busy workspace now holds 60 deliveries to endpoints that take a second each.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut waited = Vec::new();
    for n in 0..10 {
        let sent = Instant::now();
        let r = app
            .call(
                "POST",
                "/v1/workspaces/calm/events",
                Some(json!({"type": "a.b", "object": {"n": n}})),
            )
            .await;
        assert_eq!(r.status, 202);
        calm.wait_for(n + 1, Duration::from_secs(10)).await;
        waited.push(sent.elapsed());
    }
    waited.sort_unstable();
    // Without a per-workspace share the busy one would hold all 8 slots for a second.
    assert!(waited[9] < Duration::from_millis(500), "{waited:?}");
    assert!(
        slow.received().len() < 60,
        "the busy backlog is still draining"
    );
}

/// `ordering: {key: "object.account"}`: each key's events reach the endpoint one at a time
/// in publish order, whatever fails; a failing key holds back only itself (10,000 events over
/// 100 keys, every third request failing).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ordered_deliveries_arrive_in_publish_order_per_key_through_failures() {
    let app = TestApp::spawn_with(|c| {
        c.per_subscription = 32;
        c.quotas.publish_per_second = None;
        // Retries come well after the next events of the same key are due: only ordering
        // keeps those back.
        c.retry = RetryPolicy {
            schedule: vec![Duration::from_millis(200); 50],
            jitter: 0.0,
            max_retry_after: Duration::from_secs(60),
        };
    })
    .await;
    let receiver = TestReceiver::start().await;
    // Every third request fails, whichever it is.
    receiver.script((0..30_000).map(|n| Answer::status(if n % 3 == 1 { 500 } else { 200 })));
    let bad = app
        .call(
            "POST",
            "/v1/subscriptions",
            Some(json!({"url": receiver.url("/x"), "events": ["a.b"], "ordering": {"key": "id"}})),
        )
        .await;
    assert_eq!(bad.body["code"], "invalid_ordering");
    let sub = app
        .subscribe(json!({"url": receiver.url("/ordered"), "events": ["a.b"], "ordering": {"key": "object.account"}}))
        .await;
    assert_eq!(sub["ordering"], json!({"key": "object.account"}));
    // 10,000 events over 100 keys, by 10 publishers that each own 10 keys and publish each
    // key's events in order.
    let (keys, per_key, publishers) = (100, 100, 10);
    let mut tasks = Vec::new();
    for p in 0..publishers {
        let (client, base) = (app.client.clone(), app.base.clone());
        tasks.push(tokio::spawn(async move {
            for n in 0..per_key {
                for k in (p..keys).step_by(publishers) {
                    let r = client
                        .post(format!("{base}/v1/events"))
                        .bearer_auth(hookshape_tests::app::TOKEN)
                        .json(&json!({"type": "a.b", "object": {"account": format!("acc_{k}"), "n": n}}))
                        .send()
                        .await
                        .expect("publish");
                    assert_eq!(r.status(), 202);
                }
            }
        }));
    }
    for t in tasks {
        t.await.expect("publisher");
    }
    let total = keys * per_key;
    let deadline = Instant::now() + Duration::from_secs(240);
    let got = loop {
        let got = receiver.received();
        let seen: std::collections::HashSet<String> = got
            .iter()
            .filter_map(|r| {
                let v: Value = serde_json::from_str(&r.body).ok()?;
                Some(format!("{}/{}", v["data"]["account"], v["data"]["n"]))
            })
            .collect();
        if seen.len() >= total {
            break got;
        }
        assert!(
            Instant::now() < deadline,
            "{} of {total} arrived",
            seen.len()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    // Per key, the numbers requested never go down: no event is sent before an earlier
    // one of its key got through.
    let mut last: std::collections::HashMap<String, i64> = Default::default();
    for (i, r) in got.iter().enumerate() {
        let v: Value = serde_json::from_str(&r.body).expect("json");
        let (key, n) = (
            v["data"]["account"].to_string(),
            v["data"]["n"].as_i64().expect("n"),
        );
        let before = last.insert(key.clone(), n).unwrap_or(-1);
        assert!(n >= before, "request {i}: {key} sent {n} after {before}");
    }
    assert!(
        got.len() > total + 100,
        "failures were retried: {}",
        got.len()
    );
}

/// Subscriptions of different workspaces that point at one host share its in-flight bound.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_host_gets_at_most_its_bound_at_once() {
    let app = TestApp::spawn_with(|c| {
        c.per_subscription = 8;
        c.per_host = 2;
    })
    .await;
    let receiver = TestReceiver::start().await;
    receiver.script((0..12).map(|_| Answer::status(200).delay(Duration::from_millis(300))));
    for ws in ["one", "two"] {
        app.call(
            "POST",
            "/v1/workspaces",
            Some(json!({"id": ws, "name": ws})),
        )
        .await;
        let r = app
            .call(
                "POST",
                &format!("/v1/workspaces/{ws}/subscriptions"),
                Some(json!({"url": receiver.url(&format!("/{ws}")), "events": ["a.b"]})),
            )
            .await;
        assert_eq!(r.status, 201);
        for n in 0..6 {
            app.call(
                "POST",
                &format!("/v1/workspaces/{ws}/events"),
                Some(json!({"type": "a.b", "object": {"n": n}})),
            )
            .await;
        }
    }
    let got = receiver.wait_for(12, Duration::from_secs(20)).await;
    // Two at a time, 300 ms each: twelve requests arrive over at least 1.5 s (all at once
    // without the bound).
    let spread = got[11].at - got[0].at;
    assert!(spread >= Duration::from_millis(1200), "{spread:?}");
}
