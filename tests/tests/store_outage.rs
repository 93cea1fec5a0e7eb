//! A PostgreSQL outage seen by publishers: a 503 with `Retry-After` while the database cannot
//! be reached (never a 500, never a lost event), and 202s again once it can; what was
//! acknowledged before the outage is delivered after it. `/readyz` is 503 meanwhile, and
//! `/healthz` says the store is down.

use std::time::{Duration, Instant};

use hookshape::store::Location;
use hookshape_tests::app::TestApp;
use hookshape_tests::receiver::TestReceiver;
use hookshape_tests::tcp_proxy::TcpProxy;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishers_get_503_with_retry_after_while_the_database_is_unreachable() {
    let url = hookshape_tests::postgres::database();
    let (head, tail) = url.split_once("@127.0.0.1:").expect("loopback url");
    let (port, db) = tail.split_once('/').expect("port/db");
    let proxy = TcpProxy::start(format!("127.0.0.1:{port}").parse().expect("addr")).await;
    let via_proxy = format!("{head}@127.0.0.1:{}/{db}", proxy.addr.port());
    let rx = TestReceiver::start().await;
    // A claim whose answer the cut swallowed is the node's until its lease runs out: short
    // here, so that the event published before the cut is delivered within the test.
    let app = TestApp::spawn_with(|c| {
        c.store = Location::Postgres(via_proxy);
        c.lease = Duration::from_secs(3);
    })
    .await;
    app.subscribe(json!({"url": rx.url("/hook"), "events": ["*"]}))
        .await;
    let publish = |id: &str| {
        let app = &app;
        let body = json!({"id": id, "type": "member.updated", "object": {"id": id}});
        async move { app.call("POST", "/v1/events", Some(body)).await }
    };
    assert_eq!(publish("evt_before").await.status, 202);
    assert_eq!(app.call("GET", "/readyz", None).await.status, 200);
    let health = app.call("GET", "/healthz", None).await;
    assert_eq!(health.body["store"], "up", "{health:?}");

    proxy.cut();
    let during = publish("evt_during").await;
    assert_eq!(during.status, 503, "{during:?}");
    assert_eq!(during.body["code"], "store_unavailable", "{during:?}");
    assert_eq!(
        during
            .headers
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("1")
    );

    // Load balancers see it; the process stays alive for its supervisor.
    let ready = app.call("GET", "/readyz", None).await;
    assert_eq!(ready.status, 503, "{ready:?}");
    assert_eq!(ready.body["code"], "store_unavailable");
    assert!(ready.headers.contains_key("retry-after"));
    let health = app.call("GET", "/healthz", None).await;
    assert_eq!(health.status, 200, "{health:?}");
    assert_eq!(health.body["store"], "down", "{health:?}");

    proxy.restore();
    // Back within a few seconds of the database, and the refused event can be sent again.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let r = publish("evt_during").await;
        if r.status == 202 {
            break;
        }
        assert_eq!(r.status, 503, "only 503s until it is back: {r:?}");
        assert!(Instant::now() < deadline, "never came back: {r:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(app.call("GET", "/readyz", None).await.status, 200);
    let got = rx.wait_for(2, Duration::from_secs(20)).await;
    let ids: std::collections::BTreeSet<&str> =
        got.iter().filter_map(|r| r.header("webhook-id")).collect();
    assert!(
        ids.contains("evt_before") && ids.contains("evt_during"),
        "{ids:?}"
    );
}
