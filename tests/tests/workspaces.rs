//! Workspaces and scoped tokens against a real server: each customer's events reach only its
//! own subscriptions (and its organisation's), and each token reaches only what its role and
//! workspace allow.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use hookshape_tests::app::TestApp;
use hookshape_tests::receiver::TestReceiver;
use serde_json::{Value, json};

/// The `n` of every event a receiver got, per path.
fn received_ns(rx: &TestReceiver) -> BTreeSet<(String, u64)> {
    rx.received()
        .iter()
        .map(|r| {
            let body: Value = serde_json::from_str(&r.body).expect("json");
            (r.path.clone(), body["data"]["n"].as_u64().expect("n"))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_workspace_gets_exactly_its_own_events() {
    let rx = TestReceiver::start().await;
    let app = TestApp::spawn().await;
    app.create_workspace("acme", None).await;
    app.create_workspace("globex", None).await;
    for ws in ["acme", "globex"] {
        app.subscribe_in(
            ws,
            json!({"url": rx.url(&format!("/{ws}")), "events": ["member.*"]}),
        )
        .await;
    }
    // 100 events each, interleaved and concurrent; half through the workspace's route, half
    // through `/v1/events` naming the workspace, as a multi-tenant source does.
    let mut tasks = Vec::new();
    for n in 0..200u64 {
        let ws = if n % 2 == 0 { "acme" } else { "globex" };
        let (path, body) = if n % 4 < 2 {
            (
                format!("/v1/workspaces/{ws}/events"),
                json!({"type": "member.updated", "object": {"n": n}}),
            )
        } else {
            (
                "/v1/events".to_owned(),
                json!({"type": "member.updated", "workspace": ws, "object": {"n": n}}),
            )
        };
        let base = app.base.clone();
        tasks.push(tokio::spawn(async move {
            let r = reqwest::Client::new()
                .post(format!("{base}{path}"))
                .bearer_auth(hookshape_tests::app::TOKEN)
                .json(&body)
                .send()
                .await
                .expect("publish");
            assert_eq!(r.status(), 202);
        }));
    }
    for t in tasks {
        t.await.expect("publisher");
    }
    rx.wait_for(200, Duration::from_secs(30)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let got = received_ns(&rx);
    let want: BTreeSet<(String, u64)> = (0..200u64)
        .map(|n| {
            let path = if n % 2 == 0 { "/acme" } else { "/globex" };
            (path.to_owned(), n)
        })
        .collect();
    assert_eq!(got, want);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sites_events_reach_its_organisation_not_its_siblings() {
    let rx = TestReceiver::start().await;
    let app = TestApp::spawn().await;
    app.create_workspace("org", None).await;
    app.create_workspace("site-1", Some("org")).await;
    app.create_workspace("site-2", Some("org")).await;
    for ws in ["org", "site-1", "site-2"] {
        app.subscribe_in(
            ws,
            json!({"url": rx.url(&format!("/{ws}")), "events": ["*"]}),
        )
        .await;
    }
    let r = app
        .call(
            "POST",
            "/v1/workspaces/site-1/events",
            Some(json!({"type": "child.created", "object": {"n": 1}})),
        )
        .await;
    assert_eq!(r.status, 202, "{r:?}");
    assert_eq!(r.body["deliveries"], 2);
    let r = app
        .call(
            "POST",
            "/v1/workspaces/org/events",
            Some(json!({"type": "child.created", "object": {"n": 2}})),
        )
        .await;
    assert_eq!(
        r.body["deliveries"], 1,
        "an organisation's events stay there"
    );
    rx.wait_for(3, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let got = received_ns(&rx);
    let want: BTreeSet<(String, u64)> = [("/org", 1), ("/site-1", 1), ("/org", 2)]
        .into_iter()
        .map(|(p, n)| (p.to_owned(), n))
        .collect();
    assert_eq!(got, want);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_events_reach_test_subscriptions_only() {
    let rx = TestReceiver::start().await;
    let app = TestApp::spawn().await;
    app.create_workspace("shop", None).await;
    app.subscribe_in("shop", json!({"url": rx.url("/live"), "events": ["*"]}))
        .await;
    let test_sub = app
        .subscribe_in(
            "shop",
            json!({"url": rx.url("/test"), "events": ["*"], "live": false}),
        )
        .await;
    assert_eq!(test_sub["live"], false);
    for (n, live) in [(1, true), (2, false), (3, true), (4, false)] {
        let r = app
            .call(
                "POST",
                "/v1/workspaces/shop/events",
                Some(json!({"type": "order.created", "live": live, "object": {"n": n}})),
            )
            .await;
        assert_eq!(r.body["deliveries"], 1, "{r:?}");
    }
    rx.wait_for(4, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let want: BTreeSet<(String, u64)> = [("/live", 1), ("/test", 2), ("/live", 3), ("/test", 4)]
        .into_iter()
        .map(|(p, n)| (p.to_owned(), n))
        .collect();
    assert_eq!(received_ns(&rx), want);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn event_ids_are_per_workspace() {
    let app = TestApp::spawn().await;
    app.create_workspace("a", None).await;
    app.create_workspace("b", None).await;
    for ws in ["a", "b"] {
        app.subscribe_in(ws, json!({"url": "http://127.0.0.1:9/x", "events": ["*"]}))
            .await;
    }
    let first = app
        .call(
            "POST",
            "/v1/workspaces/a/events",
            Some(json!({"id": "evt_same", "type": "a.b", "object": {"from": "a"}})),
        )
        .await;
    let second = app
        .call(
            "POST",
            "/v1/workspaces/b/events",
            Some(json!({"id": "evt_same", "type": "a.b", "object": {"from": "b"}})),
        )
        .await;
    // The same id in another workspace is another event, not a duplicate of A's.
    assert_eq!(first.body["duplicate"], false);
    assert_eq!(second.body["duplicate"], false);
    assert_eq!(second.body["deliveries"], 1);
    let unknown = app
        .call(
            "POST",
            "/v1/events",
            Some(json!({"type": "a.b", "workspace": "nope", "object": {}})),
        )
        .await;
    assert_eq!(
        (unknown.status, unknown.body["code"].as_str()),
        (422, Some("unknown_workspace"))
    );
}

/// A small deterministic generator, so a failing case can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_workspaces_subscriptions_and_events_never_cross() {
    let app = TestApp::spawn().await;
    let types = [
        "member.created",
        "member.updated",
        "invoice.created",
        "child.deleted",
    ];
    let patterns = ["*", "member.*", "invoice.*", "member.updated", "child.*"];
    for seed in [7u64, 1_234_567] {
        let mut rng = Lcg(seed);
        // Workspaces: a few organisations, some sites under them.
        let mut parents: HashMap<String, Option<String>> = HashMap::new();
        for w in 0..6 {
            let id = format!("s{seed}w{w}");
            let parent = (w >= 2 && rng.next(2) == 0).then(|| format!("s{seed}w{}", rng.next(2)));
            app.create_workspace(&id, parent.as_deref()).await;
            parents.insert(id, parent);
        }
        let names: Vec<String> = (0..6).map(|w| format!("s{seed}w{w}")).collect();
        // Subscriptions: (id, workspace, pattern, live).
        let mut subs = Vec::new();
        for _ in 0..18 {
            let ws = &names[rng.next(6) as usize];
            let pattern = patterns[rng.next(patterns.len() as u64) as usize];
            let live = rng.next(4) != 0;
            let s = app
                .subscribe_in(
                    ws,
                    json!({"url": "http://127.0.0.1:9/x", "events": [pattern], "live": live}),
                )
                .await;
            subs.push((
                s["id"].as_str().expect("id").to_owned(),
                ws.clone(),
                pattern,
                live,
            ));
        }
        for e in 0..60 {
            let ws = &names[rng.next(6) as usize];
            let ty = types[rng.next(types.len() as u64) as usize];
            let live = rng.next(4) != 0;
            let id = format!("evt_{seed}_{e}");
            let r = app
                .call(
                    "POST",
                    "/v1/events",
                    Some(
                        json!({"id": id, "type": ty, "workspace": ws, "live": live, "object": {}}),
                    ),
                )
                .await;
            assert_eq!(r.status, 202, "{r:?}");
            let want: BTreeSet<&str> = subs
                .iter()
                .filter(|(_, sws, pattern, slive)| {
                    let reaches = sws == ws || parents[ws].as_deref() == Some(sws.as_str());
                    let matches = *pattern == "*"
                        || *pattern == ty
                        || pattern
                            .strip_suffix(".*")
                            .is_some_and(|p| ty.starts_with(&format!("{p}.")));
                    reaches && matches && *slive == live
                })
                .map(|(id, ..)| id.as_str())
                .collect();
            let listed = app
                .call(
                    "GET",
                    &format!("/v1/workspaces/{ws}/events/{id}/deliveries"),
                    None,
                )
                .await;
            let got: BTreeSet<&str> = listed.body["data"]
                .as_array()
                .expect("data")
                .iter()
                .filter_map(|d| d["subscriptionId"].as_str())
                .collect();
            assert_eq!(
                got, want,
                "seed {seed}, event {e} ({ty}, {ws}, live {live})"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quotas_hold_per_workspace() {
    let app = TestApp::spawn_with(|c| {
        c.quotas.publish_per_second = Some(5);
        c.quotas.max_subscriptions = 2;
    })
    .await;
    app.create_workspace("noisy", None).await;
    app.create_workspace("quiet", None).await;
    let publish = |ws: &'static str| {
        let app = &app;
        async move {
            app.call(
                "POST",
                &format!("/v1/workspaces/{ws}/events"),
                Some(json!({"type": "a.b", "object": {}})),
            )
            .await
        }
    };
    for _ in 0..10 {
        assert_eq!(publish("noisy").await.status, 202);
    }
    let limited = publish("noisy").await;
    assert_eq!(
        (limited.status, limited.body["code"].as_str()),
        (429, Some("rate_limited"))
    );
    assert_eq!(
        limited
            .headers
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("1")
    );
    assert_eq!(
        publish("quiet").await.status,
        202,
        "others are not affected"
    );

    for n in 0..2 {
        app.subscribe_in(
            "quiet",
            json!({"url": format!("http://127.0.0.1:9/{n}"), "events": ["*"]}),
        )
        .await;
    }
    let third = app
        .call(
            "POST",
            "/v1/workspaces/quiet/subscriptions",
            Some(json!({"url": "http://127.0.0.1:9/3", "events": ["*"]})),
        )
        .await;
    assert_eq!(
        (third.status, third.body["code"].as_str()),
        (409, Some("quota_exceeded"))
    );
    app.subscribe_in(
        "noisy",
        json!({"url": "http://127.0.0.1:9/4", "events": ["*"]}),
    )
    .await;
}
