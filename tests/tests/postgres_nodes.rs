//! Several `hookshape serve` nodes on one real PostgreSQL: a subscription made through one
//! node is used by the others at once, events published through all of them are delivered,
//! and when one node is killed with -9 mid-way its claimed jobs are taken over by the others
//! once their lease has passed — every acknowledged event arrives, duplicates bounded by what
//! the dead node had in flight.

use std::collections::{HashMap, HashSet};
use std::process::Child;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use hookshape_tests::child::{free_port, serve_command, wait_healthy};
use hookshape_tests::receiver::{Answer, TestReceiver};
use serde_json::json;

const TOKEN: &str = "nodes-test-token";

/// What a node may have in flight for one subscription (`--per-subscription`).
const PER_SUBSCRIPTION: usize = 8;

fn main_key() -> String {
    base64::engine::general_purpose::STANDARD.encode([7u8; 32])
}

struct Node {
    child: Child,
    base: String,
    _data: tempfile::TempDir,
}

fn spawn_node(url: &str) -> Node {
    let data = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let child = serve_command(
        env!("CARGO_BIN_EXE_hookshape-cli"),
        data.path(),
        port,
        TOKEN,
    )
    .args(["--store", url])
    .args(["--lease", "2s"])
    .args(["--per-subscription", &PER_SUBSCRIPTION.to_string()])
    .env("HOOKSHAPE_MAIN_KEY", main_key())
    .spawn()
    .expect("spawn hookshape");
    Node {
        child,
        base: format!("http://127.0.0.1:{port}"),
        _data: data,
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn publish(client: &reqwest::Client, base: &str, id: &str) -> Option<u16> {
    client
        .post(format!("{base}/v1/events"))
        .bearer_auth(TOKEN)
        .json(&json!({"id": id, "type": "member.updated", "object": {"id": id}}))
        .send()
        .await
        .ok()
        .map(|r| r.status().as_u16())
}

fn delivered_ids(rx: &TestReceiver) -> Vec<String> {
    rx.received()
        .iter()
        .filter_map(|r| r.header("webhook-id").map(str::to_owned))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_share_one_database_and_survive_a_kill_9() {
    let url = hookshape_tests::postgres::database();
    let client = reqwest::Client::new();
    let mut nodes: Vec<Node> = (0..3).map(|_| spawn_node(&url)).collect();
    for n in &nodes {
        wait_healthy(&client, &n.base).await;
    }

    // Made through node 0, used by node 1 for the very next event.
    let rx = TestReceiver::start().await;
    rx.script((0..2_000).map(|_| Answer::status(200).delay(Duration::from_millis(50))));
    let created = client
        .post(format!("{}/v1/subscriptions", nodes[0].base))
        .bearer_auth(TOKEN)
        .json(&json!({"url": rx.url("/nodes"), "events": ["*"]}))
        .send()
        .await
        .expect("subscribe");
    assert_eq!(created.status(), 201);
    assert_eq!(
        publish(&client, &nodes[1].base, "evt_first").await,
        Some(202)
    );
    let first = rx.wait_for(1, Duration::from_secs(15)).await;
    assert_eq!(first[0].header("webhook-id"), Some("evt_first"));

    // Events through all three nodes; node 2 is killed once a third are acknowledged.
    let total = 300;
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let bases: Vec<String> = nodes.iter().map(|n| n.base.clone()).collect();
    let mut publishers = Vec::new();
    for worker in 0..6 {
        let client = client.clone();
        let bases = bases.clone();
        let acked = acked.clone();
        publishers.push(tokio::spawn(async move {
            for n in (worker..total).step_by(6) {
                let id = format!("evt_nodes_{n}");
                // Round robin; a dead node's refusals go to the next one.
                for attempt in 0..3 {
                    let base = &bases[(n + attempt) % bases.len()];
                    if publish(&client, base, &id).await == Some(202) {
                        acked.lock().expect("lock").push(id);
                        break;
                    }
                }
            }
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while acked.lock().expect("lock").len() < total / 3 {
        assert!(Instant::now() < deadline, "publishing is too slow");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let mut killed = nodes.pop().expect("node");
    killed.child.kill().expect("kill -9");
    killed.child.wait().expect("reap");
    for p in publishers {
        p.await.expect("publisher");
    }
    let acked: HashSet<String> = acked.lock().expect("lock").iter().cloned().collect();
    assert_eq!(acked.len(), total, "the live nodes acknowledge every event");

    let deadline = Instant::now() + Duration::from_secs(60);
    let missing = loop {
        let delivered: HashSet<String> = delivered_ids(&rx).into_iter().collect();
        let missing = acked.iter().filter(|id| !delivered.contains(*id)).count();
        if missing == 0 || Instant::now() > deadline {
            break missing;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(missing, 0, "{missing} acknowledged events never arrived");
    // Give a straggler a moment, then count repeats.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut counts: HashMap<String, usize> = HashMap::new();
    for id in delivered_ids(&rx) {
        *counts.entry(id).or_default() += 1;
    }
    let duplicates: usize = counts.values().map(|c| c - 1).sum();
    eprintln!(
        "{} requests for {} events; {duplicates} repeated",
        rx.received().len(),
        counts.len()
    );
    assert!(
        duplicates <= PER_SUBSCRIPTION,
        "{duplicates} repeats: more than the killed node's {PER_SUBSCRIPTION} in-flight claims"
    );
    drop(nodes);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscription_change_reaches_every_node() {
    let url = hookshape_tests::postgres::database();
    let client = reqwest::Client::new();
    let nodes: Vec<Node> = (0..2).map(|_| spawn_node(&url)).collect();
    for n in &nodes {
        wait_healthy(&client, &n.base).await;
    }
    let a = TestReceiver::start().await;
    let b = TestReceiver::start().await;
    let created = client
        .post(format!("{}/v1/subscriptions", nodes[0].base))
        .bearer_auth(TOKEN)
        .json(&json!({"url": a.url("/a"), "events": ["*"]}))
        .send()
        .await
        .expect("subscribe");
    assert_eq!(created.status(), 201);
    let sub: serde_json::Value = created.json().await.expect("json");
    let id = sub["id"].as_str().expect("id");
    // Changed through node 1; node 0, which made it, must send to the new URL at once.
    let changed = client
        .patch(format!("{}/v1/subscriptions/{id}", nodes[1].base))
        .bearer_auth(TOKEN)
        .json(&json!({"url": b.url("/b")}))
        .send()
        .await
        .expect("patch");
    assert_eq!(changed.status(), 200);
    // Notifications are asynchronous: allow the other node a moment.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        publish(&client, &nodes[0].base, "evt_moved").await,
        Some(202)
    );
    let got = b.wait_for(1, Duration::from_secs(15)).await;
    assert_eq!(got[0].header("webhook-id"), Some("evt_moved"));
    assert!(a.received().is_empty(), "the old URL gets nothing");

    // Deleted through node 0: node 1 delivers nothing more to it.
    let deleted = client
        .delete(format!("{}/v1/subscriptions/{id}", nodes[0].base))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("delete");
    assert_eq!(deleted.status(), 204);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        publish(&client, &nodes[1].base, "evt_gone").await,
        Some(202)
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(b.received().len(), 1, "a deleted subscription gets nothing");
}

/// `ordering: {key: "object.account"}` across three nodes while nodes are killed with -9 and
/// replaced: each key's events are published one after another through every node in turn,
/// and each key's requests reach the endpoint in publish order (a killed node's request may
/// come again after its lease, never after a later one of its key).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ordered_keys_stay_in_order_across_nodes_through_kills() {
    let url = hookshape_tests::postgres::database();
    let client = reqwest::Client::new();
    let mut nodes: Vec<Node> = (0..3).map(|_| spawn_node(&url)).collect();
    for n in &nodes {
        wait_healthy(&client, &n.base).await;
    }
    let rx = TestReceiver::start().await;
    rx.script((0..5_000).map(|_| Answer::status(200).delay(Duration::from_millis(10))));
    let created = client
        .post(format!("{}/v1/subscriptions", nodes[0].base))
        .bearer_auth(TOKEN)
        .json(&json!({"url": rx.url("/ordered"), "events": ["*"],
                      "ordering": {"key": "object.account"}}))
        .send()
        .await
        .expect("subscribe");
    assert_eq!(created.status(), 201);
    tokio::time::sleep(Duration::from_millis(300)).await;

    let (keys, per_key) = (12, 25);
    let bases: Arc<Mutex<Vec<String>>> =
        Arc::new(Mutex::new(nodes.iter().map(|n| n.base.clone()).collect()));
    let acked = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut publishers = Vec::new();
    for k in 0..keys {
        let (client, bases, acked) = (client.clone(), bases.clone(), acked.clone());
        publishers.push(tokio::spawn(async move {
            for n in 0..per_key {
                let body = json!({"id": format!("evt_{k}_{n}"), "type": "member.updated",
                                  "object": {"account": format!("acc_{k}"), "n": n}});
                let mut tries = 0;
                loop {
                    let base = {
                        let bases = bases.lock().expect("lock");
                        bases[(k + n + tries) % bases.len()].clone()
                    };
                    let sent = client
                        .post(format!("{base}/v1/events"))
                        .bearer_auth(TOKEN)
                        .json(&body)
                        .send()
                        .await;
                    if sent.is_ok_and(|r| r.status() == 202) {
                        acked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        break;
                    }
                    tries += 1;
                    assert!(tries < 50, "evt_{k}_{n} was never acknowledged");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        }));
    }
    let total = keys * per_key;
    // Kill a node at each third, replacing it, while keys flow.
    for third in 1..=2 {
        let deadline = Instant::now() + Duration::from_secs(60);
        while acked.load(std::sync::atomic::Ordering::Relaxed) < total * third / 3 {
            assert!(Instant::now() < deadline, "publishing is too slow");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let mut killed = nodes.remove(0);
        bases.lock().expect("lock").retain(|b| *b != killed.base);
        killed.child.kill().expect("kill -9");
        killed.child.wait().expect("reap");
        let fresh = spawn_node(&url);
        wait_healthy(&client, &fresh.base).await;
        bases.lock().expect("lock").push(fresh.base.clone());
        nodes.push(fresh);
    }
    for p in publishers {
        p.await.expect("publisher");
    }

    let key_of = |r: &hookshape_tests::receiver::Received| -> Option<(String, i64)> {
        let v: serde_json::Value = serde_json::from_str(&r.body).ok()?;
        Some((v["data"]["account"].to_string(), v["data"]["n"].as_i64()?))
    };
    let deadline = Instant::now() + Duration::from_secs(90);
    let got = loop {
        let got = rx.received();
        let seen: HashSet<(String, i64)> = got.iter().filter_map(key_of).collect();
        if seen.len() >= total {
            break got;
        }
        assert!(
            Instant::now() < deadline,
            "{} of {total} arrived",
            seen.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let mut last: HashMap<String, i64> = HashMap::new();
    for (i, r) in got.iter().enumerate() {
        let (key, n) = key_of(r).expect("an event of the test");
        let before = last.insert(key.clone(), n).unwrap_or(-1);
        assert!(n >= before, "request {i}: {key} sent {n} after {before}");
    }
    eprintln!("{} requests for {total} events", got.len());
    drop(nodes);
}
