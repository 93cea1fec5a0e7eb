//! The connection budget: three nodes on a PostgreSQL left at its default `max_connections`
//! (100) take every publish of a load that keeps all their pools busy, without going past
//! their budget; a node whose budget would not fit beside them is refused at start with a
//! message that says what to change.

use std::process::{Child, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use hookshape_tests::child::{free_port, serve_command, wait_healthy};
use hookshape_tests::postgres::psql;
use hookshape_tests::receiver::{Answer, TestReceiver};
use serde_json::json;

const TOKEN: &str = "budget-test-token";
/// A node's budget when its URL does not say.
const DEFAULT_BUDGET: usize = 20;

struct Node {
    child: Child,
    base: String,
    _data: tempfile::TempDir,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn command(url: &str, data: &std::path::Path, port: u16) -> std::process::Command {
    let mut cmd = serve_command(env!("CARGO_BIN_EXE_hookshape-cli"), data, port, TOKEN);
    cmd.args(["--store", url]).env(
        "HOOKSHAPE_MAIN_KEY",
        base64::engine::general_purpose::STANDARD.encode([9u8; 32]),
    );
    cmd
}

fn spawn_node(url: &str) -> Node {
    let data = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let child = command(url, data.path(), port)
        .spawn()
        .expect("spawn hookshape");
    Node {
        child,
        base: format!("http://127.0.0.1:{port}"),
        _data: data,
    }
}

/// Connections open on the test's database now.
fn open_connections(url: &str) -> usize {
    psql(
        url,
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
         AND application_name LIKE 'hookshape %'",
    )
    .parse()
    .expect("a count")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_fit_a_default_database_and_a_node_that_would_not_is_refused() {
    let url = hookshape_tests::postgres::database_with_default_connections();
    let client = reqwest::Client::new();
    let mut nodes: Vec<Node> = (0..3).map(|_| spawn_node(&url)).collect();
    for n in &nodes {
        wait_healthy(&client, &n.base).await;
    }
    let rx = TestReceiver::start().await;
    rx.script((0..10_000).map(|_| Answer::status(200).delay(Duration::from_millis(5))));
    let created = client
        .post(format!("{}/v1/subscriptions", nodes[0].base))
        .bearer_auth(TOKEN)
        .json(&json!({"url": rx.url("/budget"), "events": ["*"]}))
        .send()
        .await
        .expect("subscribe");
    assert_eq!(created.status(), 201);

    // Watch the database's connections while 60 publishers (more than all three nodes'
    // pools together) publish through every node.
    let peak = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (url, peak, done) = (url.clone(), peak.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                peak.fetch_max(open_connections(&url), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    let (publishers, each) = (60, 30);
    let bases: Vec<String> = nodes.iter().map(|n| n.base.clone()).collect();
    let mut tasks = Vec::new();
    for p in 0..publishers {
        let (client, base) = (client.clone(), bases[p % bases.len()].clone());
        tasks.push(tokio::spawn(async move {
            let mut refused = Vec::new();
            for n in 0..each {
                let r = client
                    .post(format!("{base}/v1/events"))
                    .bearer_auth(TOKEN)
                    .json(
                        &json!({"id": format!("evt_{p}_{n}"), "type": "member.updated",
                                  "object": {"id": n}}),
                    )
                    .send()
                    .await
                    .expect("publish");
                if r.status() != 202 {
                    refused.push(format!(
                        "{}: {}",
                        r.status(),
                        r.text().await.unwrap_or_default()
                    ));
                }
            }
            refused
        }));
    }
    let mut refused = Vec::new();
    for t in tasks {
        refused.extend(t.await.expect("publisher"));
    }
    let total = publishers * each;
    let deadline = Instant::now() + Duration::from_secs(120);
    while rx.received().len() < total {
        assert!(
            Instant::now() < deadline,
            "{} of {total} delivered",
            rx.received().len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    done.store(true, Ordering::Relaxed);
    sampler.join().expect("sampler");
    assert_eq!(refused, Vec::<String>::new(), "every publish is taken");
    let peak = peak.load(Ordering::Relaxed);
    eprintln!("peak connections of three nodes: {peak}");
    assert!(
        peak <= 3 * DEFAULT_BUDGET,
        "{peak} connections: past three nodes' budget"
    );

    // A fourth node asking for 40 would take the database past 97: refused, saying why.
    let data = tempfile::tempdir().expect("tempdir");
    let mut greedy = command(&format!("{url}?connections=40"), data.path(), free_port());
    greedy.env("HOOKSHAPE_LOG", "error").stderr(Stdio::piped());
    let out = tokio::time::timeout(
        Duration::from_secs(60),
        tokio::task::spawn_blocking(move || greedy.output()),
    )
    .await
    .expect("a refused node exits")
    .expect("join")
    .expect("run");
    let said = String::from_utf8_lossy(&out.stderr);
    eprintln!("a fourth node asking for 40: {said}");
    assert!(!out.status.success(), "refused: {said}");
    assert!(
        said.contains("max_connections") && said.contains("connections="),
        "says what to change: {said}"
    );
    // One within the budget joins (80 of 97).
    let fourth = spawn_node(&url);
    wait_healthy(&client, &fourth.base).await;
    nodes.push(fourth);
    drop(nodes);
}
