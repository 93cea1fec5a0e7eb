//! Crash safety with the real binary: publish while it delivers, `kill -9` it mid-way,
//! restart it on the same data directory, and check every event that got a 202 arrives.

use std::collections::HashSet;
use std::process::Child;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hookshape_tests::child::{free_port, serve_command, wait_healthy};
use hookshape_tests::receiver::{Answer, TestReceiver};
use serde_json::json;

const TOKEN: &str = "crash-test-token";

fn spawn_server(data: &std::path::Path, port: u16) -> Child {
    serve_command(env!("CARGO_BIN_EXE_hookshape-cli"), data, port, TOKEN)
        .spawn()
        .expect("spawn hookshape")
}

/// Publishes `total` events `{prefix}_{n}` from `workers` publishers until the server dies;
/// once `kill_at` are acknowledged, kills `child` with -9. The ids that got a 202.
async fn publish_and_kill(
    client: &reqwest::Client,
    base: &str,
    child: &mut Child,
    prefix: &str,
    total: usize,
    workers: usize,
    kill_at: usize,
) -> HashSet<String> {
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut publishers = Vec::new();
    for worker in 0..workers {
        let client = client.clone();
        let base = base.to_owned();
        let acked = acked.clone();
        let prefix = prefix.to_owned();
        publishers.push(tokio::spawn(async move {
            for n in (worker..total).step_by(workers) {
                let id = format!("{prefix}_{n}");
                let sent = client
                    .post(format!("{base}/v1/events"))
                    .bearer_auth(TOKEN)
                    .json(&json!({"id": id, "type": "member.updated", "object": {"n": n}}))
                    .send()
                    .await;
                match sent {
                    Ok(r) if r.status() == 202 => acked.lock().expect("lock").push(id),
                    Ok(r) => panic!("unexpected status {}", r.status()),
                    // The process was killed: this event was never acknowledged.
                    Err(_) => return,
                }
            }
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while acked.lock().expect("lock").len() < kill_at {
        assert!(Instant::now() < deadline, "publishing is too slow");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.kill().expect("kill -9");
    child.wait().expect("reap");
    for p in publishers {
        p.await.expect("publisher");
    }
    acked.lock().expect("lock").iter().cloned().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_event_survives_a_kill_9() {
    let data = tempfile::tempdir().expect("tempdir");
    let rx = TestReceiver::start().await;
    // A slow receiver (400 ms per request, 32 at a time per subscription) keeps a backlog of
    // queued and in-flight deliveries when the process dies.
    rx.script((0..1000).map(|_| Answer::status(200).delay(Duration::from_millis(400))));
    let client = reqwest::Client::new();

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = spawn_server(data.path(), port);
    wait_healthy(&client, &base).await;
    let created = client
        .post(format!("{base}/v1/subscriptions"))
        .bearer_auth(TOKEN)
        .json(&json!({"url": rx.url("/crash"), "events": ["*"]}))
        .send()
        .await
        .expect("subscribe");
    assert_eq!(created.status(), 201);

    let total = 400;
    let acked =
        publish_and_kill(&client, &base, &mut child, "evt_crash", total, 8, total / 3).await;
    let before_restart = rx.received().len();
    assert!(acked.len() >= total / 3);
    assert!(
        before_restart < acked.len(),
        "the kill must leave acknowledged events undelivered for this test to mean anything"
    );

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = spawn_server(data.path(), port);
    wait_healthy(&client, &base).await;

    let missing = rx.missing_ids(&acked, Duration::from_secs(60)).await.len();
    child.kill().expect("stop");
    child.wait().expect("reap");
    eprintln!(
        "acknowledged {} of {total}; {before_restart} requests arrived before the kill, {} in all",
        acked.len(),
        rx.received().len()
    );
    assert_eq!(
        missing,
        0,
        "{missing} of {} acknowledged events never arrived ({before_restart} requests before the restart)",
        acked.len()
    );
}

/// The same under heavy fan-out: ten subscriptions per event, killed while publishers and
/// deliveries are both in full flow; after the restart every acknowledged event reaches all
/// ten endpoints.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kill_9_during_heavy_fan_out_loses_no_delivery() {
    let data = tempfile::tempdir().expect("tempdir");
    let rx = TestReceiver::start().await;
    rx.script((0..20_000).map(|_| Answer::status(200).delay(Duration::from_millis(200))));
    let client = reqwest::Client::new();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = spawn_server(data.path(), port);
    wait_healthy(&client, &base).await;
    for i in 0..10 {
        let created = client
            .post(format!("{base}/v1/subscriptions"))
            .bearer_auth(TOKEN)
            .json(&json!({"url": rx.url(&format!("/fan{i}")), "events": ["*"]}))
            .send()
            .await
            .expect("subscribe");
        assert_eq!(created.status(), 201);
    }

    let total = 600;
    let acked = publish_and_kill(&client, &base, &mut child, "evt_fan", total, 16, total / 2).await;
    let before_restart = rx.received().len();
    assert!(
        before_restart < acked.len() * 10,
        "the kill must leave deliveries undone for this test to mean anything"
    );

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = spawn_server(data.path(), port);
    wait_healthy(&client, &base).await;
    let deadline = Instant::now() + Duration::from_secs(90);
    let missing = loop {
        let delivered: HashSet<(String, String)> = rx
            .received()
            .iter()
            .filter_map(|r| Some((r.path.clone(), r.header("webhook-id")?.to_owned())))
            .collect();
        let missing = acked
            .iter()
            .flat_map(|id| (0..10).map(move |i| (format!("/fan{i}"), id.clone())))
            .filter(|pair| !delivered.contains(pair))
            .count();
        if missing == 0 || Instant::now() > deadline {
            break missing;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    child.kill().expect("stop");
    child.wait().expect("reap");
    eprintln!(
        "acknowledged {} of {total}; {before_restart} requests before the kill, {} in all",
        acked.len(),
        rx.received().len()
    );
    assert_eq!(
        missing, 0,
        "{missing} acknowledged deliveries never arrived"
    );
}
