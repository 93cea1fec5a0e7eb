//! The event-type catalog (schemas checked at publish, OpenAPI import, warnings), portal
//! sessions limited to their capabilities, the plugin playground's run route, and recovery of
//! failed deliveries.

use std::time::Duration;

use hookshape_tests::app::TestApp;
use hookshape_tests::receiver::{Answer, TestReceiver};
use serde_json::{Value, json};

async fn workspace(app: &TestApp, id: &str) {
    let r = app
        .call(
            "POST",
            "/v1/workspaces",
            Some(json!({"id": id, "name": id})),
        )
        .await;
    assert_eq!(r.status, 201, "{r:?}");
}

fn member_schema() -> Value {
    json!({
        "type": "object",
        "required": ["id", "email"],
        "properties": {"id": {"type": "string"}, "email": {"type": "string", "format": "email"}, "age": {"type": "integer", "minimum": 0}},
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schema_in_the_catalog_is_enforced_at_publish() {
    let app = TestApp::spawn().await;
    workspace(&app, "acme").await;
    let r = app
        .call(
            "POST",
            "/v1/workspaces/acme/event-types",
            Some(json!({"name": "member.updated", "description": "A member changed", "schema": member_schema(), "example": {"id": "m_1", "email": "a@example.com"}})),
        )
        .await;
    assert_eq!(r.status, 201, "{r:?}");
    assert_eq!(r.body["global"], false);

    let bad = app
        .call(
            "POST",
            "/v1/workspaces/acme/events",
            Some(json!({"type": "member.updated", "object": {"id": "m_1", "age": -3}})),
        )
        .await;
    assert_eq!(
        (bad.status, bad.body["code"].as_str()),
        (422, Some("schema_mismatch")),
        "{bad:?}"
    );
    let detail = bad.body["detail"].as_str().expect("detail");
    assert!(
        detail.contains("email") && detail.contains("/age"),
        "{detail}"
    );

    let good = app
        .call(
            "POST",
            "/v1/workspaces/acme/events",
            Some(json!({"type": "member.updated", "object": {"id": "m_1", "email": "a@example.com"}})),
        )
        .await;
    assert_eq!(good.status, 202, "{good:?}");
    // The schema is acme's: the default workspace publishes the same type unchecked.
    let elsewhere = app
        .call(
            "POST",
            "/v1/events",
            Some(json!({"type": "member.updated", "object": {"age": -3}})),
        )
        .await;
    assert_eq!(elsewhere.status, 202, "{elsewhere:?}");

    // Removing the schema lifts the check.
    let r = app
        .call(
            "PATCH",
            "/v1/workspaces/acme/event-types/member.updated",
            Some(json!({"schema": null, "example": null})),
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let now_ok = app
        .call(
            "POST",
            "/v1/workspaces/acme/events",
            Some(json!({"type": "member.updated", "object": {"age": -3}})),
        )
        .await;
    assert_eq!(now_ok.status, 202, "{now_ok:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_catalog_entries_each_get_their_code() {
    let app = TestApp::spawn().await;
    for (body, code) in [
        (json!({"name": "Not A Type"}), "invalid_event_type"),
        (
            json!({"name": "a.b", "schema": {"type": 12}}),
            "invalid_schema",
        ),
        (
            json!({"name": "a.b", "schema": member_schema(), "example": {"id": 1}}),
            "example_mismatch",
        ),
        (json!({"name": "a.b", "example": [1]}), "invalid_example"),
    ] {
        let r = app
            .call("POST", "/v1/event-types", Some(body.clone()))
            .await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (422, Some(code)),
            "{body}: {r:?}"
        );
    }
    let r = app
        .call("POST", "/v1/event-types", Some(json!({"name": "a.b"})))
        .await;
    assert_eq!(r.status, 201);
    let again = app
        .call("POST", "/v1/event-types", Some(json!({"name": "a.b"})))
        .await;
    assert_eq!(
        (again.status, again.body["code"].as_str()),
        (409, Some("event_type_exists"))
    );
    let missing = app.call("GET", "/v1/event-types/x.y", None).await;
    assert_eq!(missing.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn global_entries_are_seen_everywhere_and_a_workspace_may_override_them() {
    let app = TestApp::spawn().await;
    workspace(&app, "acme").await;
    let r = app
        .call(
            "POST",
            "/v1/event-types?global=true",
            Some(json!({"name": "invoice.paid", "description": "global"})),
        )
        .await;
    assert_eq!(r.status, 201, "{r:?}");
    app.call(
        "POST",
        "/v1/workspaces/acme/event-types",
        Some(json!({"name": "invoice.paid", "description": "acme's own"})),
    )
    .await;
    let acme = app
        .call("GET", "/v1/workspaces/acme/event-types", None)
        .await;
    assert_eq!(acme.body["data"][0]["description"], "acme's own");
    let default = app.call("GET", "/v1/event-types", None).await;
    assert_eq!(default.body["data"][0]["description"], "global");
    assert_eq!(default.body["data"][0]["global"], true);

    // A manager of acme may not write the global catalog.
    let token = app
        .call(
            "POST",
            "/v1/tokens",
            Some(json!({"name": "m", "role": "manager", "workspace": "acme"})),
        )
        .await
        .body["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let r = app
        .call_with(
            "POST",
            "/v1/event-types?global=true",
            Some(json!({"name": "x.y"})),
            Some(&token),
            &[],
        )
        .await;
    assert_eq!(r.status, 403, "{r:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_webhooks_are_imported_and_unknown_types_warned_about() {
    let app = TestApp::spawn().await;
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "Members", "version": "1"},
        "webhooks": {
            "member.created": {"post": {"summary": "A member joined", "requestBody": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Member"},
                "example": {"id": "m_1", "email": "a@example.com"}}}}}},
            "member.deleted": {"post": {"description": "A member left"}},
        },
        "components": {"schemas": {"Member": member_schema()}},
    });
    let r = app
        .call("POST", "/v1/event-types/import", Some(doc.clone()))
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(
        (r.body["created"].as_u64(), r.body["updated"].as_u64()),
        (Some(2), Some(0))
    );
    let again = app.call("POST", "/v1/event-types/import", Some(doc)).await;
    assert_eq!(again.body["updated"], 2);
    let created = app
        .call("GET", "/v1/event-types/member.created", None)
        .await;
    assert_eq!(created.body["description"], "A member joined");
    assert_eq!(created.body["schema"]["required"], json!(["id", "email"]));
    let bad = app
        .call(
            "POST",
            "/v1/events",
            Some(json!({"type": "member.created", "object": {"id": "m_2"}})),
        )
        .await;
    assert_eq!(bad.body["code"], "schema_mismatch");

    let no_webhooks = app
        .call(
            "POST",
            "/v1/event-types/import",
            Some(json!({"openapi": "3.1.0"})),
        )
        .await;
    assert_eq!(no_webhooks.body["code"], "invalid_openapi");

    let sub = app
        .subscribe(json!({"url": "http://127.0.0.1:9/x", "events": ["member.created", "member.craeted", "invoice.*"]}))
        .await;
    assert_eq!(
        sub["warnings"],
        json!(["event type `member.craeted` is not in the catalog"])
    );
}

async fn portal_token(app: &TestApp, ws: &str, body: Value) -> String {
    let r = app
        .call(
            "POST",
            &format!("/v1/workspaces/{ws}/portal-links"),
            Some(body),
        )
        .await;
    assert_eq!(r.status, 201, "{r:?}");
    let url = r.body["url"].as_str().expect("url");
    let token = r.body["token"].as_str().expect("token").to_owned();
    assert!(url.ends_with(&format!("/portal#{token}")), "{url}");
    token
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portal_session_may_do_only_what_its_capabilities_say() {
    let app = TestApp::spawn().await;
    workspace(&app, "acme").await;
    let sub = app
        .call(
            "POST",
            "/v1/workspaces/acme/subscriptions",
            Some(json!({"url": "http://127.0.0.1:9/x", "events": ["a.b"]})),
        )
        .await
        .body;
    let sub_id = sub["id"].as_str().expect("id");
    let view_only = portal_token(
        &app,
        "acme",
        json!({"capabilities": ["view"], "sessionId": "user-1"}),
    )
    .await;
    let as_view = |method: &'static str, path: String, body: Option<Value>| {
        let (app, token) = (&app, view_only.clone());
        async move { app.call_with(method, &path, body, Some(&token), &[]).await }
    };
    let me = as_view("GET", "/v1/me".into(), None).await;
    assert_eq!(me.body["workspace"], "acme");
    assert_eq!(me.body["capabilities"], json!(["view"]));
    assert_eq!(me.body["sessionId"], "user-1");
    assert_eq!(
        as_view("GET", "/v1/subscriptions".into(), None)
            .await
            .status,
        200
    );
    for (method, path, body) in [
        ("GET", format!("/v1/subscriptions/{sub_id}/secret"), None),
        (
            "POST",
            format!("/v1/subscriptions/{sub_id}/secret/rotate"),
            Some(json!({})),
        ),
        (
            "PATCH",
            format!("/v1/subscriptions/{sub_id}"),
            Some(json!({"description": "x"})),
        ),
        (
            "POST",
            "/v1/subscriptions".to_owned(),
            Some(json!({"url": "http://127.0.0.1:9/y", "events": ["a.b"]})),
        ),
        (
            "POST",
            "/v1/deliveries/recover".to_owned(),
            Some(json!({"since": "2020-01-01T00:00:00Z"})),
        ),
        (
            "POST",
            "/v1/event-types".to_owned(),
            Some(json!({"name": "x.y"})),
        ),
        (
            "POST",
            "/v1/events".to_owned(),
            Some(json!({"type": "a.b", "object": {}})),
        ),
        ("POST", "/v1/portal-links".to_owned(), Some(json!({}))),
    ] {
        let r = as_view(method, path.clone(), body).await;
        assert_eq!(r.status, 403, "{method} {path}: {r:?}");
    }
    // Another workspace does not exist for it.
    let other = as_view("GET", "/v1/workspaces/default/subscriptions".into(), None).await;
    assert_eq!(other.status, 404);

    let secret_only = portal_token(&app, "acme", json!({"capabilities": ["view-secret"]})).await;
    let r = app
        .call_with(
            "GET",
            &format!("/v1/subscriptions/{sub_id}/secret"),
            None,
            Some(&secret_only),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.body["secret"], sub["secret"]);

    // Ending the user's sessions ends only theirs.
    let r = app
        .call(
            "POST",
            "/v1/workspaces/acme/portal-links/expire-all",
            Some(json!({"sessionIds": ["user-1"]})),
        )
        .await;
    assert_eq!(r.body["expired"], 1, "{r:?}");
    assert_eq!(as_view("GET", "/v1/me".into(), None).await.status, 401);
    let still = app
        .call_with("GET", "/v1/me", None, Some(&secret_only), &[])
        .await;
    assert_eq!(still.status, 200);

    // A link runs out on its own.
    let short = portal_token(&app, "acme", json!({"expiresIn": 1})).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = app
        .call_with("GET", "/v1/me", None, Some(&short), &[])
        .await;
    assert_eq!(r.status, 401);
    let bad = app
        .call(
            "POST",
            "/v1/workspaces/acme/portal-links",
            Some(json!({"expiresIn": 700000})),
        )
        .await;
    assert_eq!(bad.body["code"], "invalid_expiry");
    // Sessions are not API tokens: they are not listed.
    let tokens = app.call("GET", "/v1/tokens", None).await;
    assert!(
        tokens.body["data"].as_array().expect("list").is_empty(),
        "{tokens:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_playground_runs_a_plugin_and_signs_like_a_delivery() {
    let app = TestApp::spawn().await;
    let plugin = app.upload("select-fields").await;
    let sub = app
        .subscribe(json!({"url": "http://127.0.0.1:9/x", "events": ["a.b"]}))
        .await;
    let r = app
        .call(
            "POST",
            &format!("/v1/plugins/{plugin}/run"),
            Some(json!({
                "config": {"fields": ["id"]},
                "event": {"type": "member.updated", "object": {"id": "m_1", "secret": "s"}},
                "subscriptionId": sub["id"],
            })),
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.body["outcome"], "deliver");
    let body: Value = serde_json::from_str(r.body["body"].as_str().expect("body")).expect("json");
    assert_eq!(body["data"], json!({"id": "m_1"}));
    let headers: Vec<String> = r.body["headers"]
        .as_array()
        .expect("headers")
        .iter()
        .map(|h| h[0].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(
        headers.iter().any(|h| h == "webhook-signature"),
        "{headers:?}"
    );
    assert!(r.body["durationUs"].as_u64().is_some() && r.body["memoryBytes"].as_u64() > Some(0));

    let bad_config = app
        .call(
            "POST",
            &format!("/v1/plugins/{plugin}/run"),
            Some(json!({"config": {"fields": []}, "event": {"type": "a.b", "object": {}}})),
        )
        .await;
    assert_eq!(bad_config.body["code"], "invalid_plugin_config");
    let missing = app
        .call(
            "POST",
            "/v1/plugins/0000/run",
            Some(json!({"event": {"type": "a.b", "object": {}}})),
        )
        .await;
    assert_eq!(missing.status, 404);
    // Nothing was delivered or stored.
    let deliveries = app.call("GET", "/v1/deliveries", None).await;
    assert_eq!(deliveries.body["data"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_deliveries_between_two_times_are_recovered() {
    let app = TestApp::spawn_with(|c| c.retry.schedule = vec![]).await;
    let receiver = TestReceiver::start().await;
    receiver.script([Answer::status(500), Answer::status(500)]);
    app.subscribe(json!({"url": receiver.url("/r"), "events": ["a.b"]}))
        .await;
    let since = hookshape::model::time::rfc3339_ms(hookshape::model::time::now_ms() - 1000);
    let mut ids = Vec::new();
    for n in 0..2 {
        let e = app
            .publish(json!({"type": "a.b", "object": {"n": n}}))
            .await;
        ids.push(e["id"].as_str().expect("id").to_owned());
    }
    for id in &ids {
        app.single_delivery(id, "failed").await;
    }
    let r = app
        .call(
            "POST",
            "/v1/deliveries/recover",
            Some(json!({"since": since})),
        )
        .await;
    assert_eq!(
        (r.status, r.body["queued"].as_u64()),
        (202, Some(2)),
        "{r:?}"
    );
    for id in &ids {
        app.single_delivery(id, "succeeded").await;
    }
    assert_eq!(receiver.wait_for(4, Duration::from_secs(10)).await.len(), 4);
}
