//! The benchmarks' separate processes: a release server, a receiver and a load client, so
//! that what is measured includes nothing of the server's own scheduling of the measurement.
//! A bench binary runs again as the receiver or the load client when [`ROLE`] names one
//! ([`run_role`]).

use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub const TOKEN: &str = "bench-token";
pub const ROLE: &str = "HOOKSHAPE_BENCH_ROLE";

pub fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

pub fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

pub fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// The benchmarks' ~1 KB member (real-looking data, not a padding that compresses away),
/// with its own id and its send time.
pub fn object(n: u64) -> Value {
    let mut member = crate::seeds::kilobyte_member();
    member["id"] = json!(format!("mem_{n}"));
    member["sentNs"] = json!(now_ns());
    member
}

/// Runs this process's role if [`ROLE`] names one; whether it did.
pub async fn run_role() -> bool {
    match std::env::var(ROLE).as_deref() {
        Ok("receiver") => receiver().await,
        Ok("load") => load().await,
        _ => return false,
    }
    true
}

// --- the receiver process ---

#[derive(Default)]
struct Received {
    latencies: Vec<u64>,
    count: u64,
    last_ns: u64,
}

/// Answers 200 to anything; `GET /report` gives what arrived since the last report: how
/// many, publish→receipt p50/p99/max (ns) and when the last one arrived.
async fn receiver() {
    let received: Arc<Mutex<Received>> = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    println!("{}", listener.local_addr().expect("addr").port());
    let record = received.clone();
    let app = axum::Router::new()
        .route(
            "/report",
            axum::routing::get(move || {
                let received = received.clone();
                async move {
                    let r = std::mem::take(&mut *received.lock().expect("lock"));
                    let mut l = r.latencies;
                    l.sort_unstable();
                    axum::Json(json!({"count": r.count, "p50": percentile(&l, 0.5),
                        "p99": percentile(&l, 0.99), "max": l.last().copied().unwrap_or(0),
                        "last_ns": r.last_ns}))
                }
            }),
        )
        // Exported traces (the tracing benchmark's collector) are not deliveries.
        .route("/v1/traces", axum::routing::post(|| async { "" }))
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
                let mut r = record.lock().expect("lock");
                r.count += 1;
                r.last_ns = at;
                if let Some(sent) = sent {
                    r.latencies.push(at.saturating_sub(sent));
                }
                ""
            }
        });
    axum::serve(listener, app).await.expect("serve");
}

// --- the load process ---

/// Publishes for `BENCH_SECS`: at `BENCH_RATE` events/s (open loop), or with rate 0 as fast
/// as `BENCH_CONCURRENCY` publishers get their answers (closed loop). Prints one JSON line.
async fn load() {
    let base = std::env::var("BENCH_BASE").expect("BENCH_BASE");
    let rate = env_num("BENCH_RATE", 1_000);
    let secs = env_num("BENCH_SECS", 10);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(512)
        .build()
        .expect("client");
    let acked = Arc::new(AtomicU64::new(0));
    let sent = Arc::new(AtomicU64::new(0));
    let publish_us: Arc<Mutex<Vec<u64>>> = Arc::default();
    let start = Instant::now();
    let end = start + Duration::from_secs(secs);
    let acked_total = acked.clone();
    let times = publish_us.clone();
    let publish = move |n: u64| {
        let (client, base, acked, publish_us) = (
            client.clone(),
            base.clone(),
            acked.clone(),
            publish_us.clone(),
        );
        async move {
            let t = Instant::now();
            let r = client
                .post(format!("{base}/v1/events"))
                .bearer_auth(TOKEN)
                .json(&json!({"type": "member.updated", "object": object(n)}))
                .send()
                .await;
            if r.is_ok_and(|r| r.status() == 202) {
                acked.fetch_add(1, Ordering::Relaxed);
                publish_us
                    .lock()
                    .expect("lock")
                    .push(t.elapsed().as_micros() as u64);
            }
        }
    };
    let mut tasks = tokio::task::JoinSet::new();
    if rate == 0 {
        for _ in 0..env_num("BENCH_CONCURRENCY", 64) {
            let (publish, sent) = (publish.clone(), sent.clone());
            tasks.spawn(async move {
                while Instant::now() < end {
                    publish(sent.fetch_add(1, Ordering::Relaxed)).await;
                }
            });
        }
    } else {
        for n in 0..rate * secs {
            let due = start + Duration::from_nanos(n * 1_000_000_000 / rate);
            tokio::time::sleep_until(due.into()).await;
            sent.fetch_add(1, Ordering::Relaxed);
            tasks.spawn(publish(n));
            while tasks.try_join_next().is_some() {}
        }
    }
    while tasks.join_next().await.is_some() {}
    let mut l = std::mem::take(&mut *times.lock().expect("lock"));
    l.sort_unstable();
    println!(
        "{}",
        json!({"sent": sent.load(Ordering::Relaxed), "acked": acked_total.load(Ordering::Relaxed),
               "seconds": start.elapsed().as_secs_f64(),
               "publish_p50_us": percentile(&l, 0.5), "publish_p99_us": percentile(&l, 0.99)})
    );
}

// --- the driver's side ---

pub struct Proc {
    pub child: Child,
    pub first_line: String,
}

/// This binary again, as `role`, with `envs`; a receiver's first line is its port.
pub fn spawn_role(role: &str, envs: &[(&str, String)]) -> Proc {
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

/// Runs a load process against `base` (`rate` 0: closed loop) and returns its report.
pub fn run_load(base: &str, rate: u64, secs: u64, concurrency: u64) -> Value {
    let mut p = spawn_role(
        "load",
        &[
            ("BENCH_BASE", base.to_owned()),
            ("BENCH_RATE", rate.to_string()),
            ("BENCH_SECS", secs.to_string()),
            ("BENCH_CONCURRENCY", concurrency.to_string()),
        ],
    );
    let mut out = String::new();
    std::io::BufReader::new(p.child.stdout.take().expect("stdout"))
        .read_line(&mut out)
        .expect("load report");
    let _ = p.child.wait();
    serde_json::from_str(&out).expect("load json")
}

/// A `hookshape serve` process (the binary at `bin`) on a data directory.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub async fn start(bin: &str, data: &Path, extra: &[&str]) -> Server {
        let port = crate::child::free_port();
        let child = Command::new(bin)
            .arg("serve")
            .arg("--data-dir")
            .arg(data)
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .args(["--allow-http", "--allow-ip", "127.0.0.1/32"])
            // No built-in transforms: their compile at start would run beside the load.
            .arg("--builtins")
            .arg(data.join("no-builtins"))
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
    pub async fn subscribe(&self, url: &str) -> String {
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
    pub async fn flush_max_ms(&self) -> f64 {
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

    /// CPU time the server has used (user + system), in seconds.
    pub fn cpu_seconds(&self) -> f64 {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // Fields after the command's closing parenthesis: utime and stime are the 12th and
        // 13th, in clock ticks (100 a second on Linux).
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.split_whitespace().collect())
            .unwrap_or_default();
        let tick = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        (tick(11) + tick(12)) / 100.0
    }

    pub fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// The machine's CPU time so far, in clock ticks: (stolen by the hypervisor, all). A run's
/// share of stolen time tells a slow run on a busy host from a slow server.
pub fn cpu_ticks() -> (u64, u64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let ticks: Vec<u64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .filter_map(|f| f.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is counted in user).
    let steal = ticks.get(7).copied().unwrap_or(0);
    (steal, ticks.iter().take(8).sum())
}

/// Percent of CPU time stolen between two [`cpu_ticks`] readings.
pub fn steal_percent(from: (u64, u64), to: (u64, u64)) -> f64 {
    let all = to.1.saturating_sub(from.1).max(1);
    to.0.saturating_sub(from.0) as f64 * 100.0 / all as f64
}

/// Bytes the files under `dir` hold on disk.
pub fn dir_bytes(dir: &Path) -> u64 {
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

/// What the receiver got since its last report.
pub async fn report(receiver: &str) -> Value {
    reqwest::get(format!("{receiver}/report"))
        .await
        .expect("report")
        .json()
        .await
        .expect("json")
}
