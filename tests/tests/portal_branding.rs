//! The portal as a SaaS's customers see it, in a real headless Chromium: the SaaS's name, logo
//! and colour (set by the admin on the organisation, shown on its sites too), event types
//! picked from the catalog, a refused form's error beside the form, and row buttons that say
//! which subscription they act on.

use std::time::Duration;

use hookshape_tests::app::TestApp;
use hookshape_tests::browser::{Browser, present};
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(15);
/// A one-pixel logo.
const LOGO: &str = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxIiBoZWlnaHQ9IjEiLz4=";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn branding_is_checked_and_a_site_shows_its_organisations() {
    let app = TestApp::spawn().await;
    for (bad, why) in [
        (json!({"accent": "red"}), "#rrggbb"),
        (json!({"logo": "javascript:alert(1)"}), "https://"),
        (
            json!({"logo": "https://cdn.example.com/a b.png"}),
            "https://",
        ),
        (json!({"name": ""}), "1 to 100"),
    ] {
        let r = app
            .call(
                "POST",
                "/v1/workspaces",
                Some(json!({"id": "x", "name": "X", "branding": bad})),
            )
            .await;
        assert_eq!(r.status, 422, "{bad}");
        assert_eq!(r.body["code"], "invalid_branding");
        assert!(
            r.body["detail"].as_str().unwrap_or_default().contains(why),
            "{:?}",
            r.body
        );
    }
    let branding = json!({"name": "Acme Cloud", "logo": LOGO, "accent": "#0a7d55"});
    let r = app
        .call(
            "POST",
            "/v1/workspaces",
            Some(json!({"id": "acme", "name": "Acme", "branding": branding})),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["branding"], branding);
    app.call(
        "POST",
        "/v1/workspaces",
        Some(json!({"id": "acme-paris", "name": "Paris", "parent": "acme"})),
    )
    .await;
    let link = app
        .call(
            "POST",
            "/v1/workspaces/acme-paris/portal-links",
            Some(json!({})),
        )
        .await;
    let token = link.body["token"].as_str().expect("token").to_owned();
    let me = app
        .call_with("GET", "/v1/me", None, Some(&token), &[])
        .await;
    assert_eq!(
        me.body["branding"], branding,
        "the site shows its organisation's look"
    );

    // An admin may change it; `{}` removes it.
    let r = app
        .call(
            "PATCH",
            "/v1/workspaces/acme",
            Some(json!({"branding": {}})),
        )
        .await;
    assert_eq!(r.body["branding"], json!({}));
    let me = app
        .call_with("GET", "/v1/me", None, Some(&token), &[])
        .await;
    assert_eq!(me.body["branding"], json!({}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_sees_the_saas_look_picks_types_from_the_catalog_and_reads_errors_in_place() {
    let app = TestApp::spawn().await;
    app.call(
        "POST",
        "/v1/workspaces",
        Some(json!({"id": "acme", "name": "Acme",
                    "branding": {"name": "Acme Cloud", "logo": LOGO, "accent": "#0a7d55"}})),
    )
    .await;
    for (name, description) in [
        ("member.updated", "A member's details changed"),
        ("invoice.paid", "An invoice was paid"),
    ] {
        let r = app
            .call(
                "POST",
                "/v1/workspaces/acme/event-types",
                Some(json!({"name": name, "description": description})),
            )
            .await;
        assert_eq!(r.status, 201);
    }
    let link = app
        .call("POST", "/v1/workspaces/acme/portal-links", Some(json!({})))
        .await;
    let url = link.body["url"].as_str().expect("url").to_owned();

    let browser = Browser::start().await;
    browser.goto(&url).await;
    browser
        .wait_for(&present("#page-subscriptions"), WAIT)
        .await;
    assert_eq!(browser.text("#brand-name").await, "Acme Cloud");
    assert_eq!(
        browser.eval("return document.title").await,
        Value::String("Acme Cloud · webhooks".into())
    );
    let logo = browser
        .eval("const i = document.querySelector('#brand-logo'); return !i.hidden && i.src.startsWith('data:image/svg+xml') && i.alt")
        .await;
    assert_eq!(logo, Value::String("Acme Cloud logo".into()));
    assert_eq!(
        browser
            .eval("return getComputedStyle(document.querySelector('#new-subscription')).backgroundColor")
            .await,
        Value::String("rgb(10, 125, 85)".into()),
        "buttons take the accent colour"
    );
    assert_eq!(
        browser
            .eval("return document.querySelector('link[rel=icon]').getAttribute('href')")
            .await,
        Value::String("/portal/favicon.svg".into())
    );

    // The form offers the catalog; a search narrows it; a tick fills in the type.
    browser.click("#new-subscription").await;
    browser
        .wait_for("return document.querySelectorAll('#sf-catalog-list input[type=checkbox]').length === 2", WAIT)
        .await;
    browser.type_into("#sf-catalog-search", "paid").await;
    browser
        .wait_for("return document.querySelectorAll('#sf-catalog-list input[type=checkbox]').length === 1", WAIT)
        .await;
    browser
        .click("#sf-catalog-list input[value='invoice.paid']")
        .await;
    assert_eq!(
        browser
            .eval("return document.querySelector('#sf-events').value")
            .await,
        Value::String("invoice.paid".into())
    );

    // A refused URL (the cloud's metadata address) is said beside the form, not in a banner out of view.
    browser
        .type_into("#sf-url", "https://169.254.169.254/latest")
        .await;
    browser.click("#save-subscription").await;
    browser.wait_for(&present("#sf-error"), WAIT).await;
    assert!(
        browser.text("#sf-error").await.contains("169.254.169.254"),
        "{}",
        browser.text("#sf-error").await
    );
    assert_eq!(
        browser
            .eval("return document.querySelector('#error').hidden")
            .await,
        Value::Bool(true)
    );

    browser
        .eval("const u = document.querySelector('#sf-url'); u.value = ''; return true")
        .await;
    browser
        .type_into("#sf-url", "https://hooks.example.com/in")
        .await;
    browser.click("#save-subscription").await;
    browser.wait_for(&present("tr.subscription"), WAIT).await;
    let labels = browser
        .eval("return [...document.querySelectorAll('tr.subscription button')].map(b => b.getAttribute('aria-label'))")
        .await;
    let labels: Vec<&str> = labels
        .as_array()
        .expect("labels")
        .iter()
        .map(|l| l.as_str().unwrap_or(""))
        .collect();
    assert!(
        labels.contains(&"Edit https://hooks.example.com/in"),
        "{labels:?}"
    );
    assert!(
        labels.contains(&"Delete https://hooks.example.com/in"),
        "{labels:?}"
    );
    assert!(
        labels
            .iter()
            .all(|l| l.ends_with("https://hooks.example.com/in")),
        "{labels:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_subscription_shows_how_its_endpoint_did_in_the_last_hour() {
    let app = TestApp::spawn().await;
    app.call(
        "POST",
        "/v1/workspaces",
        Some(json!({"id": "acme", "name": "Acme"})),
    )
    .await;
    let receiver = hookshape_tests::receiver::TestReceiver::start().await;
    receiver.script((0..50).map(|_| hookshape_tests::receiver::Answer::status(500)));
    let sub = app
        .call(
            "POST",
            "/v1/workspaces/acme/subscriptions",
            Some(json!({"url": receiver.url("/in"), "events": ["a.b"]})),
        )
        .await;
    assert_eq!(sub.status, 201);
    // Every attempt is answered 500.
    for id in ["e1", "e2"] {
        app.call(
            "POST",
            "/v1/workspaces/acme/events",
            Some(json!({"id": id, "type": "a.b", "object": {}})),
        )
        .await;
    }
    receiver.wait_for(2, WAIT).await;
    let link = app
        .call("POST", "/v1/workspaces/acme/portal-links", Some(json!({})))
        .await;
    let browser = Browser::start().await;
    browser.goto(link.body["url"].as_str().expect("url")).await;
    browser
        .wait_for("return document.querySelector('tr.subscription .health')?.textContent.startsWith('0% ok in the last hour · ') || null", WAIT)
        .await;
    assert_eq!(
        browser.eval("return document.querySelector('tr.subscription .health').classList.contains('health-bad')").await,
        Value::Bool(true)
    );
    let title = browser
        .eval("return document.querySelector('tr.subscription .health').title")
        .await;
    assert_eq!(
        title,
        Value::String("Last failure: endpoint answered 500".into())
    );

    // The catalog page sends an event type's example to a chosen subscription, now.
    let r = app
        .call(
            "POST",
            "/v1/workspaces/acme/event-types",
            Some(json!({"name": "member.updated", "description": "changed",
                        "example": {"id": "m_1", "name": "Ada"}})),
        )
        .await;
    assert_eq!(r.status, 201);
    let before = receiver.received().len();
    browser.click("button[data-nav=event-types]").await;
    browser
        .wait_for(&present("tr.event-type .send-example"), WAIT)
        .await;
    let sub_id = sub.body["id"].as_str().expect("id");
    browser
        .wait_for(&format!("return [...document.querySelectorAll('#et-send-to option')].some(o => o.value === '{sub_id}') || null"), WAIT)
        .await;
    browser
        .eval(&format!(
            "const s = document.querySelector('#et-send-to'); s.value = '{sub_id}'; return true"
        ))
        .await;
    browser.click("tr.event-type .send-example").await;
    browser.wait_for(&present("#et-send-result"), WAIT).await;
    assert_eq!(
        browser.text("#et-send-result").await,
        format!(
            "Sent member.updated to {}: it answered 500.",
            receiver.url("/in")
        )
    );
    let got = receiver.wait_for(before + 1, WAIT).await;
    let body: Value = serde_json::from_str(&got[before].body).expect("json");
    assert_eq!(body["type"], "member.updated");
    assert_eq!(body["data"], json!({"id": "m_1", "name": "Ada"}), "{body}");

    // Without an example, the API says so.
    app.call(
        "POST",
        "/v1/workspaces/acme/event-types",
        Some(json!({"name": "member.deleted", "description": "gone"})),
    )
    .await;
    let r = app
        .call(
            "POST",
            &format!("/v1/workspaces/acme/subscriptions/{sub_id}/test"),
            Some(json!({"eventType": "member.deleted"})),
        )
        .await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (422, Some("no_example"))
    );
}
