//! The built-in JavaScript transform, used as an integrator would: source in the
//! subscription's config, through the API, delivered to a real receiver.

use std::time::Duration;

use hookshape_tests::app::TestApp;
use hookshape_tests::lang::lang_plugin;
use hookshape_tests::receiver::TestReceiver;
use serde_json::{Value, json};

const CLI: &str = env!("CARGO_BIN_EXE_hookshape-cli");

/// A server whose built-ins directory holds the transform built from
/// `plugins/js/builtin-javascript`.
async fn app_with_builtin(builtins: &std::path::Path) -> TestApp {
    std::fs::create_dir_all(builtins).expect("builtins dir");
    std::fs::write(
        builtins.join("javascript.wasm"),
        lang_plugin(CLI, "js/builtin-javascript"),
    )
    .expect("write the built-in");
    let dir = builtins.to_owned();
    TestApp::spawn_with(move |c| c.builtins_dir = Some(dir)).await
}

fn js(source: &str) -> Value {
    json!({"id": "builtin:javascript", "config": {"source": source}, "limits": {"timeoutMs": 1000}})
}

#[tokio::test]
async fn javascript_source_as_config_reshapes_deliveries() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let app = app_with_builtin(&tmp.path().join("builtins")).await;
    let receiver = TestReceiver::start().await;

    // Listed as a built-in, for every workspace; not deletable.
    let list = app.call("GET", "/v1/plugins", None).await;
    let listed = list.body["data"].as_array().cloned().unwrap_or_default();
    assert!(
        listed
            .iter()
            .any(|p| p["id"] == "builtin:javascript" && p["builtin"] == true),
        "{list:?}"
    );
    let gone = app
        .call("DELETE", "/v1/plugins/builtin:javascript", None)
        .await;
    assert_eq!(
        (gone.status, gone.body["code"].as_str()),
        (409, Some("builtin_plugin"))
    );

    // A syntax error is refused at create, naming its line.
    let bad = app
        .call(
            "POST",
            "/v1/subscriptions",
            Some(json!({
                "url": receiver.url("/bad"), "events": ["member.updated"],
                "plugin": js("function transform(event) {\n  return {kind: event.type,,};\n}"),
            })),
        )
        .await;
    assert_eq!(bad.status, 422, "{bad:?}");
    assert_eq!(bad.body["code"], "invalid_plugin_config");
    let detail = bad.body["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("line 2") && detail.contains("SyntaxError"),
        "{detail}"
    );

    // The source reshapes the delivery, helpers and headers included.
    let source = "function transform(event) {\n  if (event.object.status === 'internal') return null;\n  return withHeaders({kind: event.type, changes: diff(event.object, event.previous), was: previousAttributes(event.object, event.previous)}, {'x-operation': event.operation});\n}";
    app.subscribe(json!({
        "url": receiver.url("/js"), "events": ["member.updated"], "plugin": js(source),
    }))
    .await;
    let event = app
        .publish(json!({
            "type": "member.updated", "id": "evt_js_1",
            "object": {"id": "m1", "name": "Ann", "status": "active"},
            "previous": {"id": "m1", "name": "Bo", "status": "active"},
        }))
        .await;
    let got = receiver.wait_for(1, Duration::from_secs(60)).await;
    let body: Value = serde_json::from_str(&got[0].body).expect("json body");
    assert_eq!(
        body,
        json!({"kind": "member.updated", "changes": {"name": "Ann"}, "was": {"name": "Bo"}})
    );
    assert_eq!(got[0].header("x-operation"), Some("updated"));
    app.single_delivery(event["id"].as_str().expect("id"), "succeeded")
        .await;

    // `null` drops the event.
    let dropped = app
        .publish(json!({"type": "member.updated", "object": {"id": "m2", "status": "internal"}}))
        .await;
    app.single_delivery(dropped["id"].as_str().expect("id"), "dropped")
        .await;

    // The playground runs it too, without delivering.
    let run = app
        .call(
            "POST",
            "/v1/plugins/builtin:javascript/run",
            Some(json!({
                "event": {"type": "member.updated", "object": {"id": "m3"}},
                "config": {"source": "function transform(e) { return [e.object.id, 1 + 1]; }"},
            })),
        )
        .await;
    assert_eq!(run.status, 200, "{run:?}");
    assert_eq!(run.body["body"], r#"["m3",2]"#, "{run:?}");

    // An exception fails only that attempt, with its line; a loop is stopped at the limit.
    for (path, source, code, needle) in [
        (
            "/throws",
            "function transform(e) {\n  const x = null;\n  return x.y;\n}",
            "plugin_plugin_error",
            "line 3: TypeError",
        ),
        (
            "/loops",
            "function transform(e) { for (;;) {} }",
            "plugin_timeout",
            "time limit",
        ),
    ] {
        let sub = app
            .subscribe(json!({
                "url": receiver.url(path), "events": ["order.created"], "plugin": js(source),
                "retry": {"schedule": []},
            }))
            .await;
        let event = app
            .publish(json!({"type": "order.created", "object": {"id": path}}))
            .await;
        let deliveries = app.deliveries(event["id"].as_str().expect("id")).await;
        let mine = deliveries
            .iter()
            .find(|d| d["subscriptionId"] == sub["id"])
            .expect("a delivery for the subscription");
        let failed = app
            .wait_delivery(
                mine["id"].as_str().expect("id"),
                "failed",
                Duration::from_secs(30),
            )
            .await;
        let attempt = &failed["attemptLog"][0];
        assert_eq!(attempt["error"]["code"], code, "{failed}");
        let detail = attempt["error"]["detail"].as_str().unwrap_or_default();
        assert!(detail.contains(needle), "{detail}");
    }
    assert!(
        receiver.received().iter().all(|r| r.path == "/js"),
        "only the working transform reached the receiver"
    );
}
