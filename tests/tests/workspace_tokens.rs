//! Scoped tokens against a real server: each token reaches only what its role and workspace
//! allow — another workspace's resources are not found, a viewer changes nothing, a publisher
//! only publishes.

use std::time::Duration;

use hookshape_tests::app::TestApp;
use hookshape_tests::receiver::TestReceiver;
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_reach_only_their_workspace_and_role() {
    let rx = TestReceiver::start().await;
    let app = TestApp::spawn().await;
    app.create_workspace("a", None).await;
    app.create_workspace("b", None).await;
    let manager_a = app.create_token("manager", Some("a")).await;
    let viewer_a = app.create_token("viewer", Some("a")).await;
    let publisher_a = app.create_token("publisher", Some("a")).await;

    // B's resources, made by the admin.
    let plugin_b = app.upload_in("b", "passthrough").await;
    let sub_b = app
        .subscribe_in(
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
