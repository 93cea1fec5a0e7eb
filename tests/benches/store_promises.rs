//! What the embedded store promises, measured from outside: `cargo bench -p hookshape-tests
//! --bench store_promises`. The server (`hookshape serve`, release build), the load client
//! and the receiver are three processes (this binary runs again as the other two), so that
//! publish→receipt times include nothing of the server's own scheduling of the measurement.
//!
//! - `paced`: ten runs in a row of 1,000 events/s for `BENCH_PACED_SECS` (10) to one
//!   subscription: publish→receipt p50/p99/max per run, and the longest storage flush.
//! - `soak`: ~1 KB events at 283/s to three subscriptions for `BENCH_SOAK_SECS` (120),
//!   with `BENCH_RETENTION` (off by default): the data directory's size over time, bytes on
//!   disk per event, the longest flush.
//! - `lists`: `BENCH_DELIVERIES` (1,000,000) deliveries over ten subscriptions stored
//!   (through the store, for speed), then each filtered list's first page timed over HTTP.
//!
//! `BENCH_ONLY=paced|soak|lists` runs one.

use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hookshape::model::{
    Attempt, AttemptOutcome, Delivery, DeliveryStatus, Event, ReceivedResponse, SentRequest,
    new_id, time,
};
use hookshape::store::{Fanout, Published, Store};
use serde_json::{Value, json};

const TOKEN: &str = "bench-token";
const ROLE: &str = "HOOKSHAPE_BENCH_ROLE";

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// The benchmarks' ~1 KB member (real-looking data, not a padding that compresses away),
/// with its own id and its send time.
fn object(n: u64) -> Value {
    let mut member = hookshape_tests::seeds::kilobyte_member();
    member["id"] = json!(format!("mem_{n}"));
    member["sentNs"] = json!(now_ns());
    member
}

// --- the receiver process ---

async fn receiver() {
    let latencies: Arc<Mutex<Vec<u64>>> = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    println!("{}", listener.local_addr().expect("addr").port());
    let record = latencies.clone();
    let app = axum::Router::new()
        .route(
            "/report",
            axum::routing::get(move || {
                let latencies = latencies.clone();
                async move {
                    let mut l = std::mem::take(&mut *latencies.lock().expect("lock"));
                    l.sort_unstable();
                    axum::Json(json!({"count": l.len(), "p50": percentile(&l, 0.5),
                        "p99": percentile(&l, 0.99), "max": l.last().copied().unwrap_or(0)}))
                }
            }),
        )
        .fallback(move |body: axum::body::Bytes| {
            let record = record.clone();
            async move {
                let at = now_ns();
                // The body is the default envelope: `data` is the object with its send time.
                let sent = std::str::from_utf8(&body)
                    .ok()
                    .and_then(|b| b.split_once("\"sentNs\":"))
                    .and_then(|(_, rest)| {
                        rest.split(|c: char| !c.is_ascii_digit())
                            .next()?
                            .parse::<u64>()
                            .ok()
                    });
                if let Some(sent) = sent {
                    record.lock().expect("lock").push(at.saturating_sub(sent));
                }
                ""
            }
        });
    axum::serve(listener, app).await.expect("serve");
}

// --- the load process: publishes at a fixed rate, open loop ---

async fn load() {
    let base = std::env::var("BENCH_BASE").expect("BENCH_BASE");
    let rate = env_num("BENCH_RATE", 1_000);
    let secs = env_num("BENCH_SECS", 10);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(512)
        .build()
        .expect("client");
    let acked = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let publish_us: Arc<Mutex<Vec<u64>>> = Arc::default();
    let start = Instant::now();
    let total = rate * secs;
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..total {
        let due = start + Duration::from_nanos(n * 1_000_000_000 / rate);
        tokio::time::sleep_until(due.into()).await;
        let (client, base, acked, publish_us) = (
            client.clone(),
            base.clone(),
            acked.clone(),
            publish_us.clone(),
        );
        tasks.spawn(async move {
            let t = Instant::now();
            let r = client
                .post(format!("{base}/v1/events"))
                .bearer_auth(TOKEN)
                .json(&json!({"type": "member.updated", "object": object(n)}))
                .send()
                .await;
            if r.is_ok_and(|r| r.status() == 202) {
                acked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                publish_us
                    .lock()
                    .expect("lock")
                    .push(t.elapsed().as_micros() as u64);
            }
        });
        while tasks.try_join_next().is_some() {}
    }
    while tasks.join_next().await.is_some() {}
    let mut l = std::mem::take(&mut *publish_us.lock().expect("lock"));
    l.sort_unstable();
    println!(
        "{}",
        json!({"sent": total, "acked": acked.load(std::sync::atomic::Ordering::Relaxed),
               "seconds": start.elapsed().as_secs_f64(),
               "publish_p50_us": percentile(&l, 0.5), "publish_p99_us": percentile(&l, 0.99)})
    );
}

// --- the driver ---

struct Proc {
    child: Child,
    first_line: String,
}

fn spawn_role(role: &str, envs: &[(&str, String)]) -> Proc {
    let mut cmd = Command::new(std::env::current_exe().expect("exe"));
    cmd.env(ROLE, role)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn role");
    let mut first_line = String::new();
    if role == "receiver" {
        let out = child.stdout.as_mut().expect("stdout");
        std::io::BufReader::new(out)
            .read_line(&mut first_line)
            .expect("port");
    }
    Proc { child, first_line }
}

fn run_load(base: &str, rate: u64, secs: u64) -> Value {
    let mut p = spawn_role(
        "load",
        &[
            ("BENCH_BASE", base.to_owned()),
            ("BENCH_RATE", rate.to_string()),
            ("BENCH_SECS", secs.to_string()),
        ],
    );
    let mut out = String::new();
    std::io::BufReader::new(p.child.stdout.take().expect("stdout"))
        .read_line(&mut out)
        .expect("load report");
    let _ = p.child.wait();
    serde_json::from_str(&out).expect("load json")
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    async fn start(data: &Path, extra: &[&str]) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("bind")
            .local_addr()
            .expect("addr")
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_hookshape-cli"))
            .arg("serve")
            .arg("--data-dir")
            .arg(data)
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .args(["--allow-http", "--allow-ip", "127.0.0.1/32"])
            .args(extra)
            .env("HOOKSHAPE_TOKEN", TOKEN)
            .env("HOOKSHAPE_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("spawn hookshape");
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(120);
        while client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .map_or(true, |r| !r.status().is_success())
        {
            assert!(Instant::now() < deadline, "server did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Server { child, base }
    }

    /// A subscription to `url`; its id.
    async fn subscribe(&self, url: &str) -> String {
        let r = reqwest::Client::new()
            .post(format!("{}/v1/subscriptions", self.base))
            .bearer_auth(TOKEN)
            .json(&json!({"url": url, "events": ["*"]}))
            .send()
            .await
            .expect("subscribe");
        assert_eq!(r.status(), 201);
        let sub: Value = r.json().await.expect("json");
        sub["id"].as_str().expect("id").to_owned()
    }

    /// The longest storage flush since start, in ms (from `/metrics`).
    async fn flush_max_ms(&self) -> f64 {
        let text = reqwest::Client::new()
            .get(format!("{}/metrics", self.base))
            .bearer_auth(TOKEN)
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .unwrap_or_default();
        text.lines()
            .filter(|l| l.contains("store_flush_max") && !l.starts_with('#'))
            .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
            .fold(0.0, f64::max)
            * 1e3
    }

    fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

fn dir_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_bytes(&e.path()),
            // Allocated blocks, not the apparent size: what the disk really holds.
            Ok(m) => std::os::unix::fs::MetadataExt::blocks(&m) * 512,
            Err(_) => 0,
        })
        .sum()
}

async fn report(receiver: &str) -> Value {
    reqwest::get(format!("{receiver}/report"))
        .await
        .expect("report")
        .json()
        .await
        .expect("json")
}

async fn paced(receiver: &str) {
    let secs = env_num("BENCH_PACED_SECS", 10);
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(dir.path(), &[]).await;
    server.subscribe(&format!("{receiver}/paced")).await;
    let _ = report(receiver).await;
    println!("paced: 1,000 events/s for {secs} s to one subscription, ten runs");
    let mut over = 0;
    for run in 1..=10 {
        let load = run_load(&server.base, 1_000, secs);
        let acked = load["acked"].as_u64().unwrap_or(0);
        let deadline = Instant::now() + Duration::from_secs(10);
        tokio::time::sleep(Duration::from_millis(300)).await;
        let mut got = report(receiver).await;
        let mut count = got["count"].as_u64().unwrap_or(0);
        while count < acked && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(200)).await;
            let more = report(receiver).await;
            count += more["count"].as_u64().unwrap_or(0);
            got = more;
        }
        let p99_ms = got["p99"].as_u64().unwrap_or(0) as f64 / 1e6;
        if p99_ms > 5.0 {
            over += 1;
        }
        println!(
            "  run {run:>2}: {acked} acked, publish p99 {:.2} ms; publish→receipt p50 {:.2} ms, p99 {p99_ms:.2} ms, max {:.1} ms",
            load["publish_p99_us"].as_u64().unwrap_or(0) as f64 / 1e3,
            got["p50"].as_u64().unwrap_or(0) as f64 / 1e6,
            got["max"].as_u64().unwrap_or(0) as f64 / 1e6,
        );
    }
    println!(
        "  runs with p99 over 5 ms: {over} of 10; longest flush {:.1} ms",
        server.flush_max_ms().await
    );
    server.stop();
}

async fn soak(receiver: &str) {
    let secs = env_num("BENCH_SOAK_SECS", 120);
    let dir = tempfile::tempdir().expect("tempdir");
    let retention = std::env::var("BENCH_RETENTION").ok();
    let extra: Vec<&str> = match &retention {
        Some(r) => vec!["--retention", r.as_str()],
        None => Vec::new(),
    };
    let server = Server::start(dir.path(), &extra).await;
    for i in 0..3 {
        server.subscribe(&format!("{receiver}/soak{i}")).await;
    }
    let empty = dir_bytes(dir.path());
    println!(
        "soak: ~1 KB events at 283/s to 3 subscriptions for {secs} s (retention {})",
        retention.as_deref().unwrap_or("default")
    );
    let base = server.base.clone();
    let load = std::thread::spawn(move || run_load(&base, 283, secs));
    let start = Instant::now();
    while !load.is_finished() {
        tokio::time::sleep(Duration::from_secs(10)).await;
        println!(
            "  {:>4} s: {:>8.1} MB on disk",
            start.elapsed().as_secs(),
            dir_bytes(dir.path()) as f64 / 1e6
        );
    }
    let load = load.join().expect("load");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let acked = load["acked"].as_u64().unwrap_or(1).max(1);
    let used = dir_bytes(dir.path()).saturating_sub(empty);
    println!(
        "  {acked} events acked; {:.1} MB on disk: {:.0} bytes per event (3 deliveries and their attempts each); longest flush {:.1} ms; delivered {}",
        used as f64 / 1e6,
        used as f64 / acked as f64,
        server.flush_max_ms().await,
        report(receiver).await["count"]
    );
    server.stop();
    // BENCH_KEEP=1 leaves the data directory for a look at what it holds.
    if std::env::var_os("BENCH_KEEP").is_some() {
        println!("  data directory kept: {}", dir.keep().display());
    }
}

/// Stores `total` deliveries (ten per event) straight through the store: nearly all
/// succeeded, one in a thousand failed, one in ten thousand pending.
async fn fill(dir: &Path, total: u64, subs: &[String]) {
    let store = Store::open(dir).await.expect("open");
    let events = total / subs.len() as u64;
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..32u64 {
        let store = store.clone();
        let subs = subs.to_vec();
        tasks.spawn(async move {
            for n in (worker..events).step_by(32) {
                let kind = if n % 100 == 0 {
                    "invoice.paid"
                } else {
                    "member.updated"
                };
                let event = Event::new(kind, &object(n), None, None, None, None).expect("event");
                let now = time::now_ms();
                let fanout: Vec<Fanout> = subs
                    .iter()
                    .map(|s| Fanout {
                        delivery: Delivery::pending(&event, s, now, now),
                        max_events: None,
                    })
                    .collect();
                let Published::New(ds) = store.publish(&event, &fanout).await.expect("publish")
                else {
                    panic!("fresh ids collided")
                };
                for (i, d) in ds.into_iter().enumerate() {
                    let k = n * 10 + i as u64;
                    if k % 10_000 == 5 {
                        continue;
                    }
                    let mut done = d.clone();
                    done.status = if n % 1_000 == 7 {
                        DeliveryStatus::Failed
                    } else {
                        DeliveryStatus::Succeeded
                    };
                    done.attempts = 1;
                    done.next_attempt_ms = None;
                    let attempt = Attempt {
                        delivery_id: d.id.clone(),
                        number: 1,
                        request_id: new_id("req"),
                        started_ms: now,
                        duration_ms: 1,
                        plugin_id: None,
                        plugin_logs: Vec::new(),
                        request: Some(SentRequest {
                            url: "https://example.com/hook".into(),
                            headers: Vec::new(),
                            body: String::new(),
                            body_is_default: false,
                        }),
                        response: Some(ReceivedResponse {
                            status: 200,
                            headers: Vec::new(),
                            body: String::new(),
                            truncated: false,
                        }),
                        outcome: AttemptOutcome::Succeeded,
                        error: None,
                    };
                    store
                        .finish_attempt(Some(&attempt), &done, &[now])
                        .await
                        .expect("finish");
                }
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    store.flush().await.expect("flush");
    store.close().await;
}

async fn lists(receiver: &str) {
    let total = env_num("BENCH_DELIVERIES", 1_000_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(dir.path(), &[]).await;
    let mut subs = Vec::new();
    for i in 0..10 {
        subs.push(server.subscribe(&format!("{receiver}/lists{i}")).await);
    }
    server.stop();
    let start = Instant::now();
    fill(dir.path(), total, &subs).await;
    println!(
        "lists: {total} deliveries over 10 subscriptions stored in {:.0} s ({:.0} MB); first page of 100, median of 5, over HTTP:",
        start.elapsed().as_secs_f64(),
        dir_bytes(dir.path()) as f64 / 1e6
    );
    let server = Server::start(dir.path(), &[]).await;
    let client = reqwest::Client::new();
    let since = time::rfc3339_ms(time::now_ms().saturating_sub(60_000));
    let one = format!("subscription={}&", subs[3]);
    for (scope, query) in [
        ("", "".to_owned()),
        ("", "status=pending".to_owned()),
        ("", "status=failed".to_owned()),
        (one.as_str(), "".to_owned()),
        (one.as_str(), "status=pending".to_owned()),
        (one.as_str(), "status=failed".to_owned()),
        (one.as_str(), "status=succeeded".to_owned()),
        (one.as_str(), "type=invoice.paid".to_owned()),
        (one.as_str(), format!("since={since}")),
        (one.as_str(), "status=failed&type=invoice.*".to_owned()),
    ] {
        let mut times = Vec::new();
        let mut found = 0;
        for _ in 0..5 {
            let t = Instant::now();
            let page: Value = client
                .get(format!(
                    "{}/v1/deliveries?limit=100&{scope}{query}",
                    server.base
                ))
                .bearer_auth(TOKEN)
                .send()
                .await
                .expect("list")
                .json()
                .await
                .expect("json");
            times.push(t.elapsed().as_secs_f64() * 1e3);
            found = page["data"].as_array().map_or(0, Vec::len);
        }
        times.sort_by(f64::total_cmp);
        let what = match (scope.is_empty(), query.is_empty()) {
            (true, true) => "all subscriptions, no filter".to_owned(),
            (true, false) => format!("all subscriptions, {query}"),
            (false, true) => "one subscription, no filter".to_owned(),
            (false, false) => format!("one subscription, {query}"),
        };
        println!("  {what:<52} {:>7.1} ms ({found} found)", times[2]);
    }
    server.stop();
}

#[tokio::main]
async fn main() {
    match std::env::var(ROLE).as_deref() {
        Ok("receiver") => return receiver().await,
        Ok("load") => return load().await,
        _ => {}
    }
    let only = std::env::var("BENCH_ONLY").ok();
    let wants = |name: &str| only.as_deref().is_none_or(|o| o == name);
    let mut rx = spawn_role("receiver", &[]);
    let receiver = format!("http://127.0.0.1:{}", rx.first_line.trim());
    if wants("paced") {
        paced(&receiver).await;
    }
    if wants("soak") {
        soak(&receiver).await;
    }
    if wants("lists") {
        lists(&receiver).await;
    }
    let _ = rx.child.kill();
    let _ = rx.child.wait();
}
