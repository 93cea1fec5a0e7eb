//! `GET /metrics`: Prometheus text for the metrics token or an admin, with deliveries by
//! outcome, publish and attempt latency, queued jobs by workspace and the plugin runtime.

use std::time::Duration;

use hookshape_tests::app::TestApp;
use hookshape_tests::receiver::{Answer, TestReceiver};
use serde_json::json;

fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(series) && l[series.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_what_happened_and_need_a_token() {
    let app = TestApp::spawn_with(|c| {
        c.metrics_token = Some("scrape-me".into());
        // A quick first retry, then a long wait: the closed endpoint's job stays queued.
        c.retry.schedule = vec![Duration::from_millis(100), Duration::from_secs(60)];
    })
    .await;
    let receiver = TestReceiver::start().await;
    receiver.script([Answer::status(500)]);
    let plugin = app.upload("passthrough").await;
    app.subscribe(json!({"url": receiver.url("/m"), "events": ["a.b"], "plugin": {"id": plugin}}))
        .await;
    let slow = app
        .subscribe(json!({"url": "http://127.0.0.1:9/closed", "events": ["a.b"]}))
        .await;
    for n in 0..3 {
        app.publish(json!({"type": "a.b", "object": {"n": n}}))
            .await;
    }
    receiver.wait_for(4, Duration::from_secs(10)).await;

    let scrape = |token: Option<&'static str>| {
        let (client, base) = (app.client.clone(), app.base.clone());
        async move {
            let mut req = client.get(format!("{base}/metrics"));
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            let r = req.send().await.expect("scrape");
            (r.status().as_u16(), r.text().await.expect("text"))
        }
    };
    assert_eq!(scrape(None).await.0, 401);
    // Every answer carries a request id, the caller's when it sent one.
    let r = app.call("GET", "/v1/subscriptions", None).await;
    assert_eq!(r.headers["x-request-id"].len(), 26);
    let r = app
        .call_with(
            "GET",
            "/v1/subscriptions",
            None,
            Some(hookshape_tests::app::TOKEN),
            &[("x-request-id", "trace-42")],
        )
        .await;
    assert_eq!(r.headers["x-request-id"], "trace-42");
    assert_eq!(scrape(Some("wrong")).await.0, 401);
    let (status, text) = scrape(Some("scrape-me")).await;
    assert_eq!(status, 200);
    assert_eq!(scrape(Some(hookshape_tests::app::TOKEN)).await.0, 200);

    assert_eq!(
        value(&text, "hookshape_events_published_total"),
        Some(3.0),
        "{text}"
    );
    assert_eq!(
        value(
            &text,
            r#"hookshape_delivery_attempts_total{outcome="succeeded"}"#
        ),
        Some(3.0),
        "{text}"
    );
    assert!(
        value(
            &text,
            r#"hookshape_delivery_attempts_total{outcome="failed"}"#
        ) >= Some(1.0),
        "{text}"
    );
    assert!(
        text.contains("hookshape_delivery_attempt_errors_total{code="),
        "{text}"
    );
    assert!(
        value(&text, "hookshape_publish_duration_seconds_count") == Some(3.0),
        "{text}"
    );
    assert!(
        value(&text, "hookshape_plugin_instances_alive") >= Some(1.0),
        "{text}"
    );
    // The closed endpoint's retries wait in the default workspace's queue.
    assert!(
        value(&text, r#"hookshape_queued_jobs{workspace="default"}"#) >= Some(1.0),
        "{slow}: {text}"
    );
    assert_eq!(
        value(
            &text,
            &format!(r#"hookshape_plugin_calls_total{{plugin="{plugin}"}}"#)
        ),
        Some(4.0),
        "{text}"
    );
    assert!(
        value(&text, "hookshape_store_flushes") >= Some(3.0),
        "{text}"
    );
    assert!(
        value(&text, "hookshape_store_flush_time_seconds") > Some(0.0),
        "{text}"
    );
    assert_eq!(
        value(&text, r#"hookshape_subscription_circuits{state="closed"}"#),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        value(&text, r#"hookshape_subscription_circuits{state="open"}"#),
        Some(0.0)
    );
    assert!(
        text.trim_end().ends_with("# EOF"),
        "OpenMetrics text ends with # EOF"
    );
}
