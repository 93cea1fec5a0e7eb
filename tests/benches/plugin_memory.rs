//! Plugin memory benchmark: `cargo bench -p hookshape-tests --bench plugin_memory`.
//!
//! Runs the real `hookshape serve` as a child process and prints its resident memory (VmRSS)
//! idle; after uploading `BENCH_PLUGINS` distinct plugins (1,000) and creating
//! `BENCH_SUBSCRIPTIONS` plugin subscriptions over them (10,000); after one event fanned out to
//! all of them; and after deleting half. Also prints the upload median, the creation rate, the
//! fan-out time. Extra `serve` flags come
//! from `BENCH_SERVE_ARGS` (e.g. `--plugin-memory 64MiB`).

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hookshape_tests::child::{free_port, wait_healthy};
use hookshape_tests::plugin_bytes;
use hookshape_tests::receiver::TestReceiver;
use serde_json::{Value, json};
use tokio::sync::Semaphore;

const TOKEN: &str = "bench-memory-token";
const IN_FLIGHT: usize = 8;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Resident memory of a process, in MiB: total, anonymous, file-backed.
fn rss_mib(pid: u32) -> [f64; 3] {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    ["VmRSS:", "RssAnon:", "RssFile:"].map(|field| {
        let kib: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0);
        kib / 1024.0
    })
}

/// The same component with a custom section that makes its bytes, and so its id, unique.
fn distinct(wasm: &[u8], n: usize) -> Vec<u8> {
    let name = b"hookshape-bench";
    let payload = n.to_le_bytes();
    let mut out = wasm.to_vec();
    let body = 1 + name.len() + payload.len();
    out.push(0); // custom section
    out.push(u8::try_from(body).expect("small section"));
    out.push(u8::try_from(name.len()).expect("short name"));
    out.extend_from_slice(name);
    out.extend_from_slice(&payload);
    out
}

struct Server {
    child: Child,
    base: String,
    client: reqwest::Client,
}

impl Server {
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(TOKEN);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.expect("request");
        let status = r.status();
        let body: Value = r.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "{path}: {status} {body}");
        body
    }
}

async fn in_parallel<F, Fut>(n: usize, in_flight: usize, f: F) -> Vec<Duration>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let gate = Arc::new(Semaphore::new(in_flight));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..n {
        let permit = gate.clone().acquire_owned().await.expect("gate");
        let work = f(i);
        tasks.spawn(async move {
            let started = Instant::now();
            work.await;
            drop(permit);
            started.elapsed()
        });
    }
    let mut times = Vec::with_capacity(n);
    while let Some(t) = tasks.join_next().await {
        times.push(t.expect("task"));
    }
    times.sort_unstable();
    times
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let plugins = env_usize("BENCH_PLUGINS", 1_000);
    let subscriptions = env_usize("BENCH_SUBSCRIPTIONS", 10_000);
    let extra: Vec<String> = std::env::var("BENCH_SERVE_ARGS")
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let receiver = TestReceiver::start().await;
    let data = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let serve = |port: u16| {
        Command::new(env!("CARGO_BIN_EXE_hookshape-cli"))
            .arg("serve")
            .arg("--data-dir")
            .arg(data.path())
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .args(["--allow-http", "--allow-ip", "127.0.0.1"])
            .args(["--max-subscriptions", &(subscriptions + 10).to_string()])
            .args(["--max-plugins", &(plugins + 10).to_string()])
            .args(["--publish-per-second", "0"])
            .args(&extra)
            .env("HOOKSHAPE_TOKEN", TOKEN)
            .env("HOOKSHAPE_LOG", "error")
            .stdout(Stdio::null())
            .spawn()
            .expect("spawn hookshape serve")
    };
    let child = serve(port);
    let server = Arc::new(Server {
        base: format!("http://127.0.0.1:{port}"),
        client: reqwest::Client::new(),
        child,
    });
    wait_healthy(&server.client, &server.base).await;
    let pid = server.child.id();
    let mut table = vec![("idle".to_owned(), rss_mib(pid))];

    let wasm = Arc::new(plugin_bytes("passthrough"));
    let ids = Arc::new(std::sync::Mutex::new(vec![String::new(); plugins]));
    // One upload at a time, as an operator uploads: the median is one compile's time.
    let uploads = in_parallel(plugins, 1, |i| {
        let (server, wasm, ids) = (server.clone(), wasm.clone(), ids.clone());
        async move {
            let r = server
                .client
                .post(format!("{}/v1/plugins", server.base))
                .bearer_auth(TOKEN)
                .body(distinct(&wasm, i))
                .send()
                .await
                .expect("upload");
            assert_eq!(r.status(), 201);
            let body: Value = r.json().await.expect("json");
            ids.lock().expect("ids")[i] = body["id"].as_str().expect("id").to_owned();
        }
    })
    .await;
    table.push((format!("after uploading {plugins} plugins"), rss_mib(pid)));

    let ids = Arc::new(ids.lock().expect("ids").clone());
    let sub_ids = Arc::new(std::sync::Mutex::new(vec![String::new(); subscriptions]));
    let started = Instant::now();
    let url = receiver.url("/hook");
    in_parallel(subscriptions, IN_FLIGHT, |i| {
        let (server, ids, sub_ids, url) =
            (server.clone(), ids.clone(), sub_ids.clone(), url.clone());
        async move {
            let body = json!({
                "url": url,
                "events": ["bench.fanout"],
                "plugin": {"id": ids[i % ids.len()], "config": {"n": i}},
            });
            let sub = server
                .call(reqwest::Method::POST, "/v1/subscriptions", Some(body))
                .await;
            sub_ids.lock().expect("subs")[i] = sub["id"].as_str().expect("id").to_owned();
        }
    })
    .await;
    let create_rate = subscriptions as f64 / started.elapsed().as_secs_f64();
    table.push((
        format!("after creating {subscriptions} subscriptions"),
        rss_mib(pid),
    ));

    let started = Instant::now();
    server
        .call(
            reqwest::Method::POST,
            "/v1/events",
            Some(json!({"type": "bench.fanout", "object": {"id": "obj_1", "name": "fan-out"}})),
        )
        .await;
    receiver
        .wait_for(subscriptions, Duration::from_secs(600))
        .await;
    let fanout = started.elapsed();
    table.push(("after one event to all of them".to_owned(), rss_mib(pid)));

    let sub_ids = sub_ids.lock().expect("subs").clone();
    in_parallel(subscriptions / 2, IN_FLIGHT, |i| {
        let (server, id) = (server.clone(), sub_ids[i * 2].clone());
        async move {
            let r = server
                .client
                .delete(format!("{}/v1/subscriptions/{id}", server.base))
                .bearer_auth(TOKEN)
                .send()
                .await
                .expect("delete");
            assert!(r.status().is_success(), "{}", r.status());
        }
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    table.push(("after deleting half".to_owned(), rss_mib(pid)));

    // A restart on the same data directory: how soon it answers, and what it holds then.
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let mut old = Arc::try_unwrap(server).ok().expect("no other users").child;
    let _ = old.wait();
    let port = free_port();
    let started = Instant::now();
    let mut child = serve(port);
    let client = reqwest::Client::new();
    wait_healthy(&client, &format!("http://127.0.0.1:{port}")).await;
    let restart = started.elapsed();
    table.push((
        format!("after a restart with {} subscriptions", subscriptions / 2),
        rss_mib(child.id()),
    ));

    println!("plugin memory ({plugins} plugins, {subscriptions} subscriptions, passthrough)");
    println!("| point | RSS | anonymous | file-backed |");
    println!("| --- | --- | --- | --- |");
    for (point, [rss, anon, file]) in &table {
        println!("| {point} | {rss:.0} MiB | {anon:.0} MiB | {file:.0} MiB |");
    }
    println!(
        "upload median {:?}, p99 {:?} (one at a time); {create_rate:.0} subscriptions/s; one event to all in {fanout:?}; restart answered /healthz in {restart:?}",
        uploads[uploads.len() / 2],
        uploads[uploads.len() * 99 / 100],
    );
    let _ = child.kill();
    let _ = child.wait();
}
