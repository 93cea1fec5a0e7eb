//! A customer holding a manager token or a limited portal session, trying to hurt the server
//! or other customers: every input it controls is bounded before work proportional to it,
//! and nothing signs content it chose with a secret it may not see.

use hookshape_tests::app::TestApp;
use hookshape_tests::receiver::TestReceiver;
use hookshape_tests::verify::standard_signature_ok as signed_by;
use serde_json::{Value, json};

fn header<'a>(reply: &'a Value, name: &str) -> &'a str {
    reply["headers"]
        .as_array()
        .expect("headers")
        .iter()
        .find(|h| h[0] == name)
        .and_then(|h| h[1].as_str())
        .unwrap_or_else(|| panic!("no {name} in {reply}"))
}

/// `$ref`s that fan out eight ways at each of 12 levels would inline to 8^12 nodes: the
/// import is refused by its bound, the server stays healthy, and nothing is stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_whose_refs_fan_out_is_refused_by_its_bound() {
    let app = TestApp::spawn().await;
    let mut schemas = serde_json::Map::new();
    for level in 0..12 {
        let next = json!({"$ref": format!("#/components/schemas/L{}", level + 1)});
        let fan: serde_json::Map<String, Value> = "abcdefgh"
            .chars()
            .map(|c| (c.to_string(), next.clone()))
            .collect();
        schemas.insert(
            format!("L{level}"),
            json!({"type": "object", "properties": fan}),
        );
    }
    schemas.insert("L12".into(), json!({"type": "string"}));
    let doc = json!({
        "openapi": "3.1.0",
        "components": {"schemas": schemas},
        "webhooks": {"member.updated": {"post": {"requestBody": {"content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/L0"}}}}}}},
    });
    let r = app.call("POST", "/v1/event-types/import", Some(doc)).await;
    assert_eq!(r.status, 422, "{r:?}");
    assert_eq!(r.body["code"], "schema_too_large", "{r:?}");
    assert!(
        r.body["detail"]
            .as_str()
            .expect("detail")
            .contains("5000 `$ref`s"),
        "names the bound: {r:?}"
    );
    assert_eq!(app.call("GET", "/healthz", None).await.status, 200);
    let listed = app.call("GET", "/v1/event-types", None).await;
    assert_eq!(listed.body["data"], json!([]), "{listed:?}");

    // Fewer `$ref`s, to a schema of 1 KB each, meet the bound on size.
    let many: serde_json::Map<String, Value> = (0..3000)
        .map(|i| (format!("f{i}"), json!({"$ref": "#/components/schemas/S"})))
        .collect();
    let doc = json!({
        "openapi": "3.1.0",
        "components": {"schemas": {"S": {"type": "string", "description": "d".repeat(1000)}}},
        "webhooks": {"member.updated": {"post": {"requestBody": {"content": {
            "application/json": {"schema": {"type": "object", "properties": many}}}}}}},
    });
    let r = app.call("POST", "/v1/event-types/import", Some(doc)).await;
    assert_eq!(r.status, 422, "{r:?}");
    assert_eq!(r.body["code"], "schema_too_large", "{r:?}");
    assert!(
        r.body["detail"].as_str().expect("detail").contains("KiB"),
        "{r:?}"
    );
}

/// A schema of `false` would refuse every publish of its type: refused when stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schema_that_refuses_everything_is_refused() {
    let app = TestApp::spawn().await;
    let r = app
        .call(
            "POST",
            "/v1/event-types",
            Some(json!({"name": "member.updated", "schema": false})),
        )
        .await;
    assert_eq!(r.status, 422, "{r:?}");
    assert_eq!(r.body["code"], "invalid_schema");
    let big: serde_json::Map<String, Value> = (0..20_000)
        .map(|i| (format!("field_{i:05}"), json!({"type": "string"})))
        .collect();
    let r = app
        .call(
            "POST",
            "/v1/event-types",
            Some(json!({"name": "member.updated",
                "schema": {"type": "object", "properties": big}})),
        )
        .await;
    assert_eq!(r.status, 422, "{r:?}");
    assert_eq!(r.body["code"], "schema_too_large");
}

/// The playground takes an event, not a plugin: the JSON limit applies, with its JSON error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plugin_run_takes_no_more_than_a_json_body() {
    let app = TestApp::spawn_with(|c| c.json_body_limit = 64 << 10).await;
    let plugin = app.upload("select-fields").await;
    let r = app
        .call(
            "POST",
            &format!("/v1/plugins/{plugin}/run"),
            Some(json!({"config": {"fields": ["id"]},
                "event": {"type": "a.b", "object": {"pad": "x".repeat(100 << 10)}}})),
        )
        .await;
    assert_eq!(r.status, 413, "{r:?}");
    assert_eq!(r.body["code"], "body_too_large");
    assert!(
        r.body["detail"]
            .as_str()
            .expect("detail")
            .contains("--json-body-limit"),
        "{r:?}"
    );
}

/// A session that may run plugins but not see secrets gets a signature under a throw-away
/// secret, said so: never one a receiver would accept. One that may see the secret (and the
/// manager's token) gets the real one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_playground_signs_with_the_real_secret_only_for_who_may_see_it() {
    let app = TestApp::spawn().await;
    app.create_workspace("acme", None).await;
    let plugin = app.upload_in("acme", "select-fields").await;
    let sub = app
        .call(
            "POST",
            "/v1/workspaces/acme/subscriptions",
            Some(json!({"url": "http://127.0.0.1:9/x", "events": ["a.b"]})),
        )
        .await
        .body;
    let secret = sub["secret"].as_str().expect("secret").to_owned();
    let run = json!({
        "config": {"fields": ["id", "amount"]},
        "event": {"type": "invoice.paid", "id": "evt_forged",
            "object": {"id": "inv_1", "amount": 1_000_000}},
        "subscriptionId": sub["id"],
    });
    let session = |caps: Value| {
        let app = &app;
        async move {
            let r = app
                .call(
                    "POST",
                    "/v1/workspaces/acme/portal-links",
                    Some(json!({"capabilities": caps})),
                )
                .await;
            assert_eq!(r.status, 201, "{r:?}");
            r.body["token"].as_str().expect("token").to_owned()
        }
    };
    let path = format!("/v1/plugins/{plugin}/run");

    let plugins_only = session(json!(["view", "manage-plugins"])).await;
    let r = app
        .call_with("POST", &path, Some(run.clone()), Some(&plugins_only), &[])
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.body["signedWith"], "throwaway", "{r:?}");
    let body = r.body["body"].as_str().expect("body");
    let (id, ts, sig) = (
        header(&r.body, "webhook-id"),
        header(&r.body, "webhook-timestamp"),
        header(&r.body, "webhook-signature"),
    );
    assert!(!signed_by(&secret, id, ts, body, sig), "a forgery: {r:?}");

    let with_secret = session(json!(["view", "view-secret", "manage-plugins"])).await;
    for token in [Some(with_secret.as_str()), None] {
        let r = match token {
            Some(t) => {
                app.call_with("POST", &path, Some(run.clone()), Some(t), &[])
                    .await
            }
            None => {
                let admin_path = format!("/v1/workspaces/acme/plugins/{plugin}/run");
                app.call("POST", &admin_path, Some(run.clone())).await
            }
        };
        assert_eq!(r.body["signedWith"], "subscription", "{r:?}");
        let body = r.body["body"].as_str().expect("body");
        assert!(signed_by(
            &secret,
            header(&r.body, "webhook-id"),
            header(&r.body, "webhook-timestamp"),
            body,
            header(&r.body, "webhook-signature"),
        ));
    }
}

/// Every attempt records the URL: a long one is refused when the subscription is made or
/// changed, as is a list of event types without end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscription_fields_have_bounds() {
    let app = TestApp::spawn().await;
    let long = format!("http://127.0.0.1:9/{}", "a".repeat(4096));
    let r = app
        .call(
            "POST",
            "/v1/subscriptions",
            Some(json!({"url": long, "events": ["a.b"]})),
        )
        .await;
    assert_eq!(r.status, 422, "{r:?}");
    assert_eq!(r.body["code"], "invalid_url");
    assert!(r.body["detail"].as_str().expect("detail").contains("2048"));

    let sub = app
        .subscribe(json!({"url": "http://127.0.0.1:9/x", "events": ["a.b"]}))
        .await;
    let r = app
        .call_with(
            "PATCH",
            &format!("/v1/subscriptions/{}", sub["id"].as_str().expect("id")),
            Some(json!({"url": long})),
            Some(hookshape_tests::app::TOKEN),
            &[("if-match", sub["etag"].as_str().expect("etag"))],
        )
        .await;
    assert_eq!(r.status, 422, "{r:?}");
    assert_eq!(r.body["code"], "invalid_url");

    let events: Vec<String> = (0..300).map(|i| format!("type{i}.changed")).collect();
    let r = app
        .call(
            "POST",
            "/v1/subscriptions",
            Some(json!({"url": "http://127.0.0.1:9/x", "events": events})),
        )
        .await;
    assert_eq!(r.status, 422, "{r:?}");
    assert_eq!(r.body["code"], "invalid_event_type");
}

/// A site reusing its organisation's event id gives the organisation's receiver another
/// `webhook-id` (receivers deduplicate on it), and the organisation sees both deliveries.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sites_event_id_never_collides_with_its_organisations() {
    let rx = TestReceiver::start().await;
    let app = TestApp::spawn().await;
    app.create_workspace("org", None).await;
    app.create_workspace("site-1", Some("org")).await;
    let r = app
        .call(
            "POST",
            "/v1/workspaces/org/subscriptions",
            Some(json!({"url": rx.url("/org"), "events": ["*"]})),
        )
        .await;
    assert_eq!(r.status, 201, "{r:?}");
    for (ws, n) in [("org", 1), ("site-1", 2)] {
        let r = app
            .call(
                "POST",
                &format!("/v1/workspaces/{ws}/events"),
                Some(json!({"id": "evt_1", "type": "member.created", "object": {"n": n}})),
            )
            .await;
        assert_eq!(r.status, 202, "{r:?}");
    }
    let got = rx.wait_for(2, std::time::Duration::from_secs(15)).await;
    let ids: std::collections::BTreeSet<&str> = got
        .iter()
        .map(|r| r.header("webhook-id").expect("webhook-id"))
        .collect();
    assert_eq!(ids.len(), 2, "two events, two ids: {ids:?}");
    assert!(ids.contains("evt_1"), "{ids:?}");

    let listed = app
        .call("GET", "/v1/workspaces/org/events/evt_1/deliveries", None)
        .await;
    let data = listed.body["data"].as_array().expect("data");
    assert_eq!(data.len(), 2, "{listed:?}");
    let from: Vec<&Value> = data.iter().map(|d| &d["eventWorkspace"]).collect();
    assert!(from.contains(&&json!("site-1")), "{listed:?}");
    assert!(from.contains(&&Value::Null), "{listed:?}");
}

/// Clients that send headers slowly hold every connection slot only until the header-read
/// timeout: then they are closed, and a well-behaved client is served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_are_closed_and_cannot_hold_every_connection() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn_with(|c| {
        c.connections.header_read_timeout = std::time::Duration::from_millis(400);
        c.connections.max_connections = 3;
    })
    .await;
    let addr = app.base.trim_start_matches("http://").to_owned();
    let mut slow = Vec::new();
    for _ in 0..3 {
        let mut s = tokio::net::TcpStream::connect(&addr)
            .await
            .expect("connect");
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            .await
            .expect("write");
        slow.push(s);
    }
    // Every slot is taken; this one is served once the slow ones are closed.
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .expect("client");
    let r = client
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .expect("served after the slow clients were closed");
    assert_eq!(r.status(), 200);
    for mut s in slow {
        let mut rest = Vec::new();
        let closed =
            tokio::time::timeout(std::time::Duration::from_secs(5), s.read_to_end(&mut rest)).await;
        assert!(closed.is_ok(), "a slow client's connection stays open");
    }
}
