//! Workspaces and scoped tokens against a real server: each customer's events reach only its
//! own subscriptions (and its organisation's), and each token reaches only what its role and
//! workspace allow.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use hookshape_tests::app::TestApp;
use hookshape_tests::receiver::TestReceiver;
use serde_json::{Value, json};

async fn workspace(app: &TestApp, id: &str, parent: Option<&str>) {
    let r = app
        .call(
            "POST",
            "/v1/workspaces",
            Some(json!({"id": id, "name": format!("Customer {id}"), "parent": parent})),
        )
        .await;
    assert_eq!(r.status, 201, "{r:?}");
}

async fn token(app: &TestApp, role: &str, ws: Option<&str>) -> String {
    let r = app
        .call(
            "POST",
            "/v1/tokens",
            Some(json!({"name": format!("{role} of {ws:?}"), "role": role, "workspace": ws})),
        )
        .await;
    assert_eq!(r.status, 201, "{r:?}");
    r.body["token"].as_str().expect("token").to_owned()
}

async fn subscribe_in(app: &TestApp, ws: &str, body: Value) -> Value {
    let r = app
        .call(
            "POST",
            &format!("/v1/workspaces/{ws}/subscriptions"),
            Some(body),
        )
        .await;
    assert_eq!(r.status, 201, "{r:?}");
    r.body
}

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
    workspace(&app, "acme", None).await;
    workspace(&app, "globex", None).await;
    for ws in ["acme", "globex"] {
        subscribe_in(
            &app,
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
    workspace(&app, "org", None).await;
    workspace(&app, "site-1", Some("org")).await;
    workspace(&app, "site-2", Some("org")).await;
    for ws in ["org", "site-1", "site-2"] {
        subscribe_in(
            &app,
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
async fn tokens_reach_only_their_workspace_and_role() {
    let rx = TestReceiver::start().await;
    let app = TestApp::spawn().await;
    workspace(&app, "a", None).await;
    workspace(&app, "b", None).await;
    let manager_a = token(&app, "manager", Some("a")).await;
    let viewer_a = token(&app, "viewer", Some("a")).await;
    let publisher_a = token(&app, "publisher", Some("a")).await;

    // B's resources, made by the admin.
    let plugin_b = app.upload_in("b", "passthrough").await;
    let sub_b = subscribe_in(
        &app,
        "b",
        json!({"url": rx.url("/b"), "events": ["*"], "plugin": {"id": plugin_b}}),
    )
    .await;
    let sub_b = sub_b["id"].as_str().expect("id").to_owned();
    let published = app
        .call(
            "POST",
            "/v1/workspaces/b/events",
            Some(json!({"id": "evt_b", "type": "member.created", "object": {"n": 0}})),
        )
        .await;
    assert_eq!(published.status, 202);
    let deliveries = app
        .call("GET", "/v1/workspaces/b/events/evt_b/deliveries", None)
        .await;
    let delivery_b = deliveries.body["data"][0]["id"]
        .as_str()
        .expect("delivery")
        .to_owned();

    let tried = app
        .call(
            "PUT",
            &format!("/v1/workspaces/b/subscriptions/{sub_b}/candidate"),
            Some(json!({"plugin": {"id": plugin_b, "config": {}}})),
        )
        .await;
    assert_eq!(tried.status, 200, "{tried:?}");

    // A's manager: B's resources do not exist, whichever form of route.
    let as_a = |method: &'static str, path: String, body: Option<Value>| {
        let app = &app;
        let token = manager_a.clone();
        async move { app.call_with(method, &path, body, Some(&token), &[]).await }
    };
    for prefix in ["/v1", "/v1/workspaces/b"] {
        for (method, path, body) in [
            ("GET", format!("{prefix}/subscriptions/{sub_b}"), None),
            (
                "PATCH",
                format!("{prefix}/subscriptions/{sub_b}"),
                Some(json!({"description": "mine now"})),
            ),
            ("DELETE", format!("{prefix}/subscriptions/{sub_b}"), None),
            (
                "GET",
                format!("{prefix}/subscriptions/{sub_b}/secret"),
                None,
            ),
            (
                "POST",
                format!("{prefix}/subscriptions/{sub_b}/secret/rotate"),
                None,
            ),
            ("POST", format!("{prefix}/subscriptions/{sub_b}/test"), None),
            (
                "GET",
                format!("{prefix}/subscriptions/{sub_b}/deliveries"),
                None,
            ),
            ("GET", format!("{prefix}/deliveries/{delivery_b}"), None),
            (
                "POST",
                format!("{prefix}/deliveries/{delivery_b}/retry"),
                None,
            ),
            ("GET", format!("{prefix}/plugins/{plugin_b}"), None),
            ("DELETE", format!("{prefix}/plugins/{plugin_b}"), None),
            ("GET", format!("{prefix}/events/evt_b/deliveries"), None),
            (
                "GET",
                format!("{prefix}/subscriptions/{sub_b}/candidate"),
                None,
            ),
            (
                "PUT",
                format!("{prefix}/subscriptions/{sub_b}/candidate"),
                Some(json!({"plugin": {"id": plugin_b}})),
            ),
            (
                "POST",
                format!("{prefix}/subscriptions/{sub_b}/candidate/promote"),
                None,
            ),
            (
                "POST",
                format!("{prefix}/subscriptions/{sub_b}/rollback"),
                None,
            ),
            (
                "DELETE",
                format!("{prefix}/subscriptions/{sub_b}/candidate"),
                None,
            ),
        ] {
            let r = as_a(method, path.clone(), body).await;
            assert_eq!(r.status, 404, "{method} {path}: {r:?}");
        }
    }
    // B's candidate is untouched by A's tries.
    let still = app
        .call(
            "GET",
            &format!("/v1/workspaces/b/subscriptions/{sub_b}/candidate"),
            None,
        )
        .await;
    assert_eq!(still.status, 200, "{still:?}");
    // Its own workspace works, lists show only its own, and B's plugin is unknown there.
    let own = app
        .call_with(
            "POST",
            "/v1/subscriptions",
            Some(json!({"url": rx.url("/a"), "events": ["*"]})),
            Some(&manager_a),
            &[],
        )
        .await;
    assert_eq!(own.status, 201, "{own:?}");
    assert_eq!(own.body["workspace"], "a");
    let listed = app
        .call_with("GET", "/v1/subscriptions", None, Some(&manager_a), &[])
        .await;
    let ids: Vec<&str> = listed.body["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert_eq!(ids, [own.body["id"].as_str().expect("id")]);
    let plugins = app
        .call_with("GET", "/v1/plugins", None, Some(&manager_a), &[])
        .await;
    assert_eq!(plugins.body["data"], json!([]));
    let borrowed = app
        .call_with(
            "POST",
            "/v1/subscriptions",
            Some(json!({"url": rx.url("/a"), "events": ["*"], "plugin": {"id": plugin_b}})),
            Some(&manager_a),
            &[],
        )
        .await;
    assert_eq!(
        (borrowed.status, borrowed.body["code"].as_str()),
        (422, Some("unknown_plugin"))
    );
    // Managers do not administer.
    for (method, path) in [("GET", "/v1/workspaces"), ("GET", "/v1/tokens")] {
        let r = app
            .call_with(method, path, None, Some(&manager_a), &[])
            .await;
        assert_eq!(r.status, 403, "{method} {path}: {r:?}");
    }

    // A viewer reads, and may not write or reveal secrets.
    let own_id = own.body["id"].as_str().expect("id");
    let read = app
        .call_with(
            "GET",
            &format!("/v1/subscriptions/{own_id}"),
            None,
            Some(&viewer_a),
            &[],
        )
        .await;
    assert_eq!(read.status, 200);
    for (method, path, body) in [
        (
            "POST",
            "/v1/subscriptions".to_owned(),
            Some(json!({"url": rx.url("/v"), "events": ["*"]})),
        ),
        (
            "PATCH",
            format!("/v1/subscriptions/{own_id}"),
            Some(json!({"description": "x"})),
        ),
        ("DELETE", format!("/v1/subscriptions/{own_id}"), None),
        ("GET", format!("/v1/subscriptions/{own_id}/secret"), None),
        ("POST", format!("/v1/subscriptions/{own_id}/test"), None),
        (
            "POST",
            "/v1/events".to_owned(),
            Some(json!({"type": "a.b", "object": {}})),
        ),
    ] {
        let r = app
            .call_with(method, &path, body, Some(&viewer_a), &[])
            .await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (403, Some("forbidden")),
            "{method} {path}"
        );
    }

    // A publisher publishes (into its workspace only) and manages nothing.
    let pubd = app
        .call_with(
            "POST",
            "/v1/events",
            Some(json!({"type": "member.created", "object": {"n": 1}})),
            Some(&publisher_a),
            &[],
        )
        .await;
    assert_eq!(pubd.status, 202, "{pubd:?}");
    assert_eq!(pubd.body["workspace"], "a");
    let wrong = app
        .call_with(
            "POST",
            "/v1/events",
            Some(json!({"type": "member.created", "workspace": "b", "object": {}})),
            Some(&publisher_a),
            &[],
        )
        .await;
    assert_eq!(wrong.status, 403, "{wrong:?}");
    for (method, path) in [
        ("GET", "/v1/subscriptions"),
        ("GET", "/v1/plugins"),
        ("GET", "/v1/events/evt_b/deliveries"),
    ] {
        let r = app
            .call_with(method, path, None, Some(&publisher_a), &[])
            .await;
        assert_eq!(r.status, 403, "{method} {path}: {r:?}");
    }

    // Revoked: 401 at once. Expired: 401.
    let tokens = app.call("GET", "/v1/tokens", None).await;
    assert!(
        tokens.body["data"]
            .as_array()
            .expect("data")
            .iter()
            .all(|t| t.get("token").is_none()),
        "listing shows no token"
    );
    let viewer_id = tokens.body["data"]
        .as_array()
        .expect("data")
        .iter()
        .find(|t| t["role"] == "viewer")
        .and_then(|t| t["id"].as_str())
        .expect("viewer id")
        .to_owned();
    let revoked = app
        .call("DELETE", &format!("/v1/tokens/{viewer_id}"), None)
        .await;
    assert_eq!(revoked.status, 204);
    let r = app
        .call_with("GET", "/v1/subscriptions", None, Some(&viewer_a), &[])
        .await;
    assert_eq!(r.status, 401);
    let soon = hookshape::model::time::rfc3339_ms(hookshape::model::time::now_ms() + 1_000);
    let r = app
        .call(
            "POST",
            "/v1/tokens",
            Some(json!({"name": "short", "role": "viewer", "workspace": "a", "expiresAt": soon})),
        )
        .await;
    let short = r.body["token"].as_str().expect("token").to_owned();
    let ok = app
        .call_with("GET", "/v1/subscriptions", None, Some(&short), &[])
        .await;
    assert_eq!(ok.status, 200);
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    let late = app
        .call_with("GET", "/v1/subscriptions", None, Some(&short), &[])
        .await;
    assert_eq!(late.status, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_events_reach_test_subscriptions_only() {
    let rx = TestReceiver::start().await;
    let app = TestApp::spawn().await;
    workspace(&app, "shop", None).await;
    subscribe_in(
        &app,
        "shop",
        json!({"url": rx.url("/live"), "events": ["*"]}),
    )
    .await;
    let test_sub = subscribe_in(
        &app,
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
    workspace(&app, "a", None).await;
    workspace(&app, "b", None).await;
    for ws in ["a", "b"] {
        subscribe_in(
            &app,
            ws,
            json!({"url": "http://127.0.0.1:9/x", "events": ["*"]}),
        )
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
            workspace(&app, &id, parent.as_deref()).await;
            parents.insert(id, parent);
        }
        let names: Vec<String> = (0..6).map(|w| format!("s{seed}w{w}")).collect();
        // Subscriptions: (id, workspace, pattern, live).
        let mut subs = Vec::new();
        for _ in 0..18 {
            let ws = &names[rng.next(6) as usize];
            let pattern = patterns[rng.next(patterns.len() as u64) as usize];
            let live = rng.next(4) != 0;
            let s = subscribe_in(
                &app,
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
    workspace(&app, "noisy", None).await;
    workspace(&app, "quiet", None).await;
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
        subscribe_in(
            &app,
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
    subscribe_in(
        &app,
        "noisy",
        json!({"url": "http://127.0.0.1:9/4", "events": ["*"]}),
    )
    .await;
}
