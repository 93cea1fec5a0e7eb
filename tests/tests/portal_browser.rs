//! The integrator portal in a real headless Chromium: a link opens it, a customer creates a
//! subscription, sends a test event and sees it arrive with its attempt, retries it, reveals
//! the secret, runs a plugin in the playground; a view-only link shows no write button, a
//! link without `view-secret` no secret, and an expired link nothing. Screenshots of the main
//! pages are written to `target/portal-screenshots/` (and to `docs/` with
//! `HOOKSHAPE_SCREENSHOTS=docs`).

use std::path::PathBuf;
use std::time::Duration;

use hookshape_tests::app::TestApp;
use hookshape_tests::browser::{Browser, present};
use hookshape_tests::receiver::TestReceiver;
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(15);

async fn link(app: &TestApp, body: Value) -> String {
    let r = app
        .call("POST", "/v1/workspaces/acme/portal-links", Some(body))
        .await;
    assert_eq!(r.status, 201, "{r:?}");
    r.body["url"].as_str().expect("url").to_owned()
}

fn shots_dir() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    match std::env::var("HOOKSHAPE_SCREENSHOTS") {
        Ok(dir) => root.join(dir),
        Err(_) => root.join("target").join("portal-screenshots"),
    }
}

async fn shot(browser: &Browser, name: &str) {
    let png = browser.screenshot().await;
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    let dir = shots_dir();
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    std::fs::write(dir.join(format!("portal-{name}.png")), png).expect("write screenshot");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_runs_their_webhooks_from_the_portal() {
    let app = TestApp::spawn().await;
    let receiver = TestReceiver::start().await;
    let r = app
        .call(
            "POST",
            "/v1/workspaces",
            Some(json!({"id": "acme", "name": "Acme"})),
        )
        .await;
    assert_eq!(r.status, 201);
    app.call(
        "POST",
        "/v1/workspaces/acme/event-types",
        Some(
            json!({"name": "member.updated", "description": "A member's details changed",
                    "example": {"id": "m_1", "name": "Ada", "email": "ada@example.com"}}),
        ),
    )
    .await;
    let plugin = {
        let req = app
            .client
            .post(format!(
                "{}/v1/workspaces/acme/plugins?name=select-fields",
                app.base
            ))
            .bearer_auth(hookshape_tests::app::TOKEN)
            .body(hookshape_tests::plugin_bytes("select-fields"));
        let r = req.send().await.expect("upload");
        assert_eq!(r.status(), 201);
        r.json::<Value>().await.expect("json")["id"]
            .as_str()
            .expect("id")
            .to_owned()
    };

    let browser = Browser::start().await;
    let full = link(&app, json!({"sessionId": "user-1"})).await;
    browser.goto(&full).await;
    browser
        .wait_for(
            "return document.querySelector('#session')?.textContent.includes('acme')",
            WAIT,
        )
        .await;
    // The token left the address bar at once.
    let href = browser.eval("return location.href").await;
    assert!(!href.as_str().unwrap_or_default().contains('#'), "{href}");

    // Create a subscription.
    browser.click("#new-subscription").await;
    browser
        .type_into(
            "#subscription-form input[name=url]",
            &receiver.url("/portal"),
        )
        .await;
    browser
        .type_into("#subscription-form input[name=events]", "member.updated")
        .await;
    browser
        .type_into("#subscription-form input[name=description]", "CRM sync")
        .await;
    browser.click("#save-subscription").await;
    browser.wait_for(&present("tr.subscription"), WAIT).await;
    assert!(
        browser
            .text("tr.subscription .url")
            .await
            .contains("/portal")
    );
    let created = app
        .call("GET", "/v1/workspaces/acme/subscriptions", None)
        .await;
    let sub = created.body["data"][0].clone();
    assert_eq!(sub["description"], "CRM sync");
    assert_eq!(sub["events"], json!(["member.updated"]));
    shot(&browser, "subscriptions").await;

    // Reveal the secret: the one the API holds.
    browser.click("tr.subscription .show-secret").await;
    browser
        .wait_for("return document.querySelector('tr.subscription .secret')?.textContent.startsWith('whsec_')", WAIT)
        .await;
    let secret = app
        .call(
            "GET",
            &format!(
                "/v1/workspaces/acme/subscriptions/{}/secret",
                sub["id"].as_str().expect("id")
            ),
            None,
        )
        .await;
    assert_eq!(
        browser.text("tr.subscription .secret").await.trim(),
        secret.body["secret"].as_str().expect("secret")
    );

    // Send a test event and watch it arrive, with its attempt.
    browser.click("tr.subscription .send-test").await;
    let got = receiver.wait_for(1, WAIT).await;
    assert!(got[0].body.contains("hookshape.test"), "{}", got[0].body);
    browser
        .wait_for("return [...document.querySelectorAll('tr.delivery .status')].some(e => e.textContent.includes('succeeded'))", WAIT)
        .await;
    browser.click("tr.delivery .open").await;
    browser
        .wait_for(&present("#delivery-detail div.attempt"), WAIT)
        .await;
    assert!(
        browser
            .text("#delivery-detail .response-status")
            .await
            .contains("200")
    );
    shot(&browser, "delivery").await;

    // Retry it: a second attempt reaches the receiver and the page.
    browser.click("#delivery-detail .retry").await;
    receiver.wait_for(2, WAIT).await;
    browser
        .wait_for(
            "return document.querySelectorAll('#delivery-detail div.attempt').length >= 2",
            WAIT,
        )
        .await;

    // The playground: the workspace's plugin on the catalog's example, signed as the
    // subscription would.
    browser.click("button[data-nav=playground]").await;
    browser
        .wait_for(&format!("return [...document.querySelectorAll('#pg-plugin option')].some(o => o.value === '{plugin}')"), WAIT)
        .await;
    browser
        .eval(&format!(
            "const s = document.querySelector('#pg-plugin'); s.value = '{plugin}'; s.dispatchEvent(new Event('change')); return true;"
        ))
        .await;
    browser
        .type_into("#pg-config", r#"{"fields": ["id", "email"]}"#)
        .await;
    browser.type_into("#pg-type", "member.updated").await;
    browser
        .type_into(
            "#pg-object",
            r#"{"id": "m_1", "name": "Ada", "email": "ada@example.com"}"#,
        )
        .await;
    browser
        .eval(&format!(
            "const s = document.querySelector('#pg-subscription'); s.value = '{}'; s.dispatchEvent(new Event('change')); return true;",
            sub["id"].as_str().expect("id")
        ))
        .await;
    browser.click("#pg-run").await;
    browser
        .wait_for("return document.querySelector('#pg-result pre.pg-body')?.textContent.includes('ada@example.com')", WAIT)
        .await;
    let body = browser.text("#pg-result pre.pg-body").await;
    assert!(
        !body.contains("Ada"),
        "the plugin kept only id and email: {body}"
    );
    assert!(
        browser
            .text("#pg-result .pg-headers")
            .await
            .contains("webhook-signature")
    );
    shot(&browser, "playground").await;

    // The event-type catalog.
    browser.click("button[data-nav=event-types]").await;
    browser.wait_for(&present("tr.event-type"), WAIT).await;
    assert!(
        browser
            .text("tr.event-type .name")
            .await
            .contains("member.updated")
    );

    // A phone-width window shows the page without sideways scrolling.
    browser.set_size(390, 844).await;
    browser.click("button[data-nav=subscriptions]").await;
    let overflow = browser
        .eval("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        .await;
    assert!(
        overflow.as_i64().unwrap_or(1) <= 0,
        "sideways scroll of {overflow} px"
    );
    shot(&browser, "phone").await;
    browser.set_size(1280, 900).await;

    // A view-only link: the same data, no write button, no secret.
    let view_only = link(&app, json!({"capabilities": ["view"]})).await;
    browser.goto(&view_only).await;
    browser.wait_for(&present("tr.subscription"), WAIT).await;
    for css in [
        "#new-subscription",
        "tr.subscription .edit",
        "tr.subscription .delete",
        "tr.subscription .toggle",
        "tr.subscription .send-test",
        "tr.subscription .show-secret",
        "tr.subscription .rotate-secret",
        "button[data-nav=playground]",
    ] {
        assert_eq!(
            browser.count(css).await,
            0,
            "{css} shown to a view-only session"
        );
    }
    browser.click("button[data-nav=deliveries]").await;
    browser.wait_for(&present("tr.delivery"), WAIT).await;
    assert_eq!(browser.count(".retry").await, 0);
    assert_eq!(browser.count("#recover").await, 0);

    // A link that may reveal secrets but not change anything.
    let secret_only = link(&app, json!({"capabilities": ["view-secret"]})).await;
    browser.goto(&secret_only).await;
    browser
        .wait_for(&present("tr.subscription .show-secret"), WAIT)
        .await;
    assert_eq!(browser.count("tr.subscription .rotate-secret").await, 0);

    // An expired link and an ended session are refused.
    let short = link(&app, json!({"expiresIn": 1})).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    browser.goto(&short).await;
    browser.wait_for(&present("#expired"), WAIT).await;
    assert_eq!(browser.count("tr.subscription").await, 0);
    app.call(
        "POST",
        "/v1/workspaces/acme/portal-links/expire-all",
        Some(json!({"sessionIds": ["user-1"]})),
    )
    .await;
    browser.goto(&full).await;
    browser.wait_for(&present("#expired"), WAIT).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_is_served_with_a_strict_content_security_policy() {
    let app = TestApp::spawn().await;
    for path in [
        "/portal",
        "/portal/lib.js",
        "/portal/app.js",
        "/portal/event_types.js",
        "/portal/deliveries.js",
        "/portal/playground.js",
        "/portal/app.css",
        "/portal/favicon.svg",
    ] {
        let r = app
            .client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), 200, "{path}");
        let csp = r.headers()["content-security-policy"]
            .to_str()
            .expect("csp")
            .to_owned();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
            "{csp}"
        );
        assert_eq!(r.headers()["referrer-policy"], "no-referrer");
        let body = r.text().await.expect("body");
        // Nothing from elsewhere: no CDN, no inline script.
        for external in [
            "src=\"http",
            "href=\"http",
            "url(http",
            "@import",
            "fetch(\"http",
        ] {
            assert!(
                !body.contains(external),
                "{path} loads something from elsewhere"
            );
        }
        if path == "/portal" {
            assert!(!body.contains("<script>") && body.contains("/portal/app.js"));
        }
    }
}
