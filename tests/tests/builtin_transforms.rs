//! The built-in JavaScript and Python transforms, used as an integrator would: source in the
//! subscription's config, through the API, delivered to a real receiver.

use std::time::Duration;

use hookshape_tests::app::TestApp;
use hookshape_tests::lang::lang_plugin;
use hookshape_tests::receiver::TestReceiver;
use serde_json::{Value, json};

const CLI: &str = env!("CARGO_BIN_EXE_hookshape-cli");

/// A server whose built-ins directory holds the transform built from
/// `plugins/{lang}/builtin-{name}`, as `{name}.wasm`.
async fn app_with_builtin(builtins: &std::path::Path, lang: &str, name: &str) -> TestApp {
    std::fs::create_dir_all(builtins).expect("builtins dir");
    std::fs::write(
        builtins.join(format!("{name}.wasm")),
        lang_plugin(CLI, &format!("{lang}/builtin-{name}")),
    )
    .expect("write the built-in");
    let dir = builtins.to_owned();
    TestApp::spawn_with(move |c| c.builtins_dir = Some(dir)).await
}

/// The portal editor's examples for `language` (`JavaScript`, `Python`): name and source,
/// read from `host/portal/examples.js` by Node.
fn portal_examples(language: &str) -> Vec<(String, String)> {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../host/portal/examples.js");
    let out = std::process::Command::new("node")
        .arg("-e")
        .arg("globalThis.window = {}; eval(require('fs').readFileSync(process.argv[1], 'utf8')); console.log(JSON.stringify(window.HookshapeExamples))")
        .arg(&file)
        .output()
        .expect("node");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all: Value = serde_json::from_slice(&out.stdout).expect("json");
    let examples: Vec<(String, String)> =
        serde_json::from_value(all[language].clone()).expect("pairs");
    assert!(examples.len() >= 4, "{language}: {examples:?}");
    examples
}

/// Every example of the portal's editor runs on the built-in `name` and delivers a JSON
/// object (and the header one its header).
async fn examples_run(app: &TestApp, name: &str, language: &str) {
    for (title, source) in portal_examples(language) {
        let r = app
            .call(
                "POST",
                &format!("/v1/plugins/builtin:{name}/run"),
                Some(json!({"config": {"source": source}, "event": {
                    "type": "member.updated", "id": "evt_1",
                    "object": {"id": "m_1", "name": "Ada", "email": "a@example.com", "internal": false},
                    "previous": {"id": "m_1", "name": "Bo", "email": "a@example.com"}}})),
            )
            .await;
        assert_eq!(r.status, 200, "{title}: {r:?}");
        assert_eq!(r.body["outcome"], "deliver", "{title}: {}", r.body);
        let body: Value = serde_json::from_str(r.body["body"].as_str().unwrap_or_default())
            .unwrap_or_else(|e| panic!("{title}: {e}: {}", r.body));
        assert!(
            body.as_object().is_some_and(|o| !o.is_empty()),
            "{title}: {body}"
        );
        if title.contains("header") {
            assert!(
                r.body["headers"].to_string().contains("x-event-type"),
                "{title}: {}",
                r.body
            );
        }
    }
}

/// A subscription's `plugin`: the built-in `name` with this source.
fn builtin(name: &str, source: &str) -> Value {
    json!({"id": format!("builtin:{name}"), "config": {"source": source}, "limits": {"timeoutMs": 1000}})
}

/// Creating a subscription with `plugin` is refused: the detail of the refusal.
async fn refused(app: &TestApp, receiver: &TestReceiver, plugin: Value) -> String {
    let bad = app
        .call(
            "POST",
            "/v1/subscriptions",
            Some(json!({"url": receiver.url("/bad"), "events": ["member.updated"], "plugin": plugin})),
        )
        .await;
    assert_eq!(bad.status, 422, "{bad:?}");
    assert_eq!(bad.body["code"], "invalid_plugin_config");
    bad.body["detail"].as_str().unwrap_or_default().to_owned()
}

/// A subscription with `plugin` and no retries gets an event: the error its only attempt
/// failed with.
async fn failed_attempt(
    app: &TestApp,
    receiver: &TestReceiver,
    path: &str,
    plugin: Value,
) -> Value {
    let sub = app
        .subscribe(json!({
            "url": receiver.url(path), "events": ["order.created"], "plugin": plugin,
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
    failed["attemptLog"][0]["error"].clone()
}

/// Publishes an update and a change to drop; returns the body and `x-operation` header the
/// receiver got at `path` for the first, and checks the second was dropped.
async fn reshaped(app: &TestApp, receiver: &TestReceiver, path: &str) -> (Value, String) {
    app.publish(json!({
        "type": "member.updated",
        "object": {"id": "m1", "name": "Ann", "status": "active"},
        "previous": {"id": "m1", "name": "Bo", "status": "active"},
    }))
    .await;
    let got = receiver.wait_for(1, Duration::from_secs(60)).await;
    assert_eq!(got[0].path, path);
    let body: Value = serde_json::from_str(&got[0].body).expect("json body");
    let header = got[0].header("x-operation").unwrap_or_default().to_owned();
    let dropped = app
        .publish(json!({"type": "member.updated", "object": {"id": "m2", "status": "internal"}}))
        .await;
    app.single_delivery(dropped["id"].as_str().expect("id"), "dropped")
        .await;
    (body, header)
}

/// A source of 65,536 characters runs; one more is refused, saying the bound.
async fn source_bound(app: &TestApp, name: &str, body: &str, comment: &str) {
    let path = format!("/v1/plugins/builtin:{name}/run");
    let run = |source: String| {
        app.call(
            "POST",
            &path,
            Some(
                json!({"event": {"type": "member.updated", "object": {"id": "m"}},
                        "config": {"source": source}}),
            ),
        )
    };
    let padded = |len: usize| {
        let mut s = format!("{body}\n{comment}");
        s.push_str(&"x".repeat(len - s.chars().count()));
        s
    };
    let at = run(padded(65_536)).await;
    assert_eq!(
        (at.status, at.body["outcome"].as_str()),
        (200, Some("deliver")),
        "{at:?}"
    );
    let over = run(padded(65_537)).await;
    assert_eq!(over.status, 422, "{over:?}");
    assert_eq!(over.body["code"], "invalid_plugin_config");
    assert!(
        over.body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("65537 characters; at most 65536"),
        "{over:?}"
    );
}

#[tokio::test]
async fn javascript_source_as_config_reshapes_deliveries() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let app = app_with_builtin(&tmp.path().join("builtins"), "js", "javascript").await;
    let receiver = TestReceiver::start().await;
    let js = |source: &str| builtin("javascript", source);

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
    let detail = refused(
        &app,
        &receiver,
        js("function transform(event) {\n  return {kind: event.type,,};\n}"),
    )
    .await;
    assert!(
        detail.contains("line 2") && detail.contains("SyntaxError"),
        "{detail}"
    );

    // The source reshapes the delivery, helpers and headers included; `null` drops.
    let source = "function transform(event) {\n  if (event.object.status === 'internal') return null;\n  return withHeaders({kind: event.type, changes: diff(event.object, event.previous), was: previousAttributes(event.object, event.previous)}, {'x-operation': event.operation});\n}";
    app.subscribe(json!({
        "url": receiver.url("/js"), "events": ["member.updated"], "plugin": js(source),
    }))
    .await;
    let (body, header) = reshaped(&app, &receiver, "/js").await;
    assert_eq!(
        body,
        json!({"kind": "member.updated", "changes": {"name": "Ann"}, "was": {"name": "Bo"}})
    );
    assert_eq!(header, "updated");

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

    source_bound(
        &app,
        "javascript",
        "function transform(e) { return e.object; }",
        "// ",
    )
    .await;

    // An exception fails only that attempt, with its line; a loop is stopped at the limit.
    let error = failed_attempt(
        &app,
        &receiver,
        "/throws",
        js("function transform(e) {\n  const x = null;\n  return x.y;\n}"),
    )
    .await;
    assert_eq!(error["code"], "plugin_plugin_error", "{error}");
    assert!(
        error["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("line 3: TypeError"),
        "{error}"
    );
    let error = failed_attempt(
        &app,
        &receiver,
        "/loops",
        js("function transform(e) { for (;;) {} }"),
    )
    .await;
    assert_eq!(error["code"], "plugin_timeout", "{error}");
    assert!(
        receiver.received().iter().all(|r| r.path == "/js"),
        "only the working transform reached the receiver"
    );
    examples_run(&app, "javascript", "JavaScript").await;
}

#[tokio::test]
async fn python_source_as_config_reshapes_deliveries() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let app = app_with_builtin(&tmp.path().join("builtins"), "python", "python").await;
    let receiver = TestReceiver::start().await;
    let py = |source: &str| builtin("python", source);

    let detail = refused(
        &app,
        &receiver,
        py("def transform(event):\n    return {'a': ,}\n"),
    )
    .await;
    assert!(
        detail.contains("line 2") && detail.contains("SyntaxError"),
        "{detail}"
    );
    source_bound(
        &app,
        "python",
        "def transform(event):\n    return event.object",
        "# ",
    )
    .await;

    let source = "def transform(event):\n    if event.object.get('status') == 'internal':\n        return None\n    return with_headers({'kind': event.type, 'was': previous_attributes(event.object, event.previous)}, {'x-operation': event.operation})\n";
    app.subscribe(json!({
        "url": receiver.url("/py"), "events": ["member.updated"], "plugin": py(source),
    }))
    .await;
    let (body, header) = reshaped(&app, &receiver, "/py").await;
    assert_eq!(
        body,
        json!({"kind": "member.updated", "was": {"name": "Bo"}})
    );
    assert_eq!(header, "updated");

    let error = failed_attempt(
        &app,
        &receiver,
        "/throws",
        py("def transform(event):\n    x = None\n    return x.y\n"),
    )
    .await;
    assert_eq!(error["code"], "plugin_plugin_error", "{error}");
    assert!(
        error["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("line 3: AttributeError"),
        "{error}"
    );
    examples_run(&app, "python", "Python").await;
}
