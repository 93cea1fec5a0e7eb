//! Writing a transform in the portal, in a real headless Chromium: the built-in JavaScript
//! transform's source is edited in the playground, previewed on the event as it is typed, a
//! syntax error is shown beside it with its line, and the source is attached to a
//! subscription, which then delivers what it returns.

use std::time::Duration;

use hookshape_tests::app::TestApp;
use hookshape_tests::browser::Browser;
use hookshape_tests::lang::lang_plugin;
use hookshape_tests::receiver::TestReceiver;
use serde_json::{Value, json};

const CLI: &str = env!("CARGO_BIN_EXE_hookshape-cli");
// The first run waits for the built-in to compile (~15 s alone, longer beside other tests).
const WAIT: Duration = Duration::from_secs(90);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_writes_a_transform_in_the_portal() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let builtins = tmp.path().join("builtins");
    std::fs::create_dir_all(&builtins).expect("dir");
    std::fs::write(
        builtins.join("javascript.wasm"),
        lang_plugin(CLI, "js/builtin-javascript"),
    )
    .expect("write the built-in");
    let app = TestApp::spawn_with(move |c| c.builtins_dir = Some(builtins)).await;
    let receiver = TestReceiver::start().await;
    let r = app
        .call(
            "POST",
            "/v1/workspaces",
            Some(json!({"id": "acme", "name": "Acme"})),
        )
        .await;
    assert_eq!(r.status, 201, "{r:?}");
    let r = app
        .call(
            "POST",
            "/v1/workspaces/acme/subscriptions",
            Some(json!({"url": receiver.url("/crm"), "events": ["member.updated"]})),
        )
        .await;
    assert_eq!(r.status, 201, "{r:?}");
    let sub = r.body["id"].as_str().expect("id").to_owned();
    let r = app
        .call(
            "POST",
            "/v1/workspaces/acme/portal-links",
            Some(json!({"sessionId": "user-1"})),
        )
        .await;
    assert_eq!(r.status, 201, "{r:?}");

    let browser = Browser::start().await;
    browser.goto(r.body["url"].as_str().expect("url")).await;
    browser.click("button[data-nav=playground]").await;
    browser
        .wait_for("return [...document.querySelectorAll('#pg-plugin option')].some(o => o.value === 'builtin:javascript')", WAIT)
        .await;
    browser
        .eval("const s = document.querySelector('#pg-plugin'); s.value = 'builtin:javascript'; s.dispatchEvent(new Event('change')); return true;")
        .await;
    // The source editor replaces the JSON config, with a starting point in it.
    assert_eq!(
        browser.eval("return document.querySelector('#pg-config-field').hidden && !document.querySelector('#pg-source-field').hidden").await,
        Value::Bool(true)
    );
    assert!(browser.text("#pg-source").await.is_empty());
    let starter = browser
        .eval("return document.querySelector('#pg-source').value")
        .await;
    assert!(
        starter
            .as_str()
            .unwrap_or_default()
            .contains("function transform(event)"),
        "{starter}"
    );

    browser.type_into("#pg-type", "member.updated").await;
    browser
        .type_into("#pg-object", r#"{"id": "m_1", "name": "Ada"}"#)
        .await;
    // Typing the source previews it on the event, without pressing Run.
    browser
        .type_into(
            "#pg-source",
            "function transform(event) {\n  return {who: event.object.name.toUpperCase(), kind: event.type};\n}",
        )
        .await;
    browser
        .wait_for(
            "return document.querySelector('#pg-result pre.pg-body')?.textContent.includes('ADA')",
            WAIT,
        )
        .await;

    // An example replaces the source and runs at once: an envelope, with a header.
    assert_eq!(
        browser
            .eval("return [...document.querySelectorAll('#pg-example option')].map(o => o.textContent).slice(1)")
            .await,
        json!([
            "Pick and rename fields",
            "Drop some events",
            "Changes with their previous values",
            "An envelope and a header"
        ])
    );
    browser
        .eval("const s = document.querySelector('#pg-example'); s.value = '3'; s.dispatchEvent(new Event('change')); return true;")
        .await;
    browser
        .wait_for(
            "const r = document.querySelector('#pg-result'); return !!r && r.textContent.includes('x-event-type') && r.querySelector('pre.pg-body')?.textContent.includes('payload');",
            WAIT,
        )
        .await;

    // A syntax error is shown in the result, with its line and a way to it.
    browser
        .type_into(
            "#pg-source",
            "function transform(event) {\n  return {who: ,};\n}",
        )
        .await;
    browser
        .wait_for(
            "return document.querySelector('#pg-result .pg-error')?.textContent.includes('line 2')",
            WAIT,
        )
        .await;
    assert!(
        browser
            .text("#pg-result .error-code")
            .await
            .contains("invalid_plugin_config")
    );
    assert_eq!(
        browser
            .eval("return document.querySelector('#error').hidden")
            .await,
        Value::Bool(true),
        "the error is not in the banner"
    );
    browser.click("#pg-result .pg-goto").await;
    let selected = browser
        .eval("const b = document.querySelector('#pg-source'); return b.value.slice(b.selectionStart, b.selectionEnd);")
        .await;
    assert_eq!(selected, "  return {who: ,};");

    // Fixed, and attached to the subscription: deliveries now carry what it returns.
    browser
        .type_into(
            "#pg-source",
            "function transform(event) {\n  return {who: event.object.name, via: 'portal'};\n}",
        )
        .await;
    browser
        .eval(&format!("const s = document.querySelector('#pg-attach-subscription'); s.value = '{sub}'; s.dispatchEvent(new Event('change')); return true;"))
        .await;
    browser.click("#pg-attach").await;
    browser
        .wait_for(
            "const r = document.querySelector('#pg-attach-result'); return r && !r.hidden;",
            WAIT,
        )
        .await;
    let r = app
        .call(
            "POST",
            "/v1/workspaces/acme/events",
            Some(json!({"type": "member.updated", "object": {"id": "m_2", "name": "Bo"}})),
        )
        .await;
    assert_eq!(r.status, 202, "{r:?}");
    let got = receiver.wait_for(1, WAIT).await;
    let body: Value = serde_json::from_str(&got[0].body).expect("json");
    assert_eq!(body, json!({"who": "Bo", "via": "portal"}));
}
