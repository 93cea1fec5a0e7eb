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
//! - `throughput`: closed loop, one subscription and ten: deliveries/s and server CPU.
//!
//! - `tracing`: the closed loop to one subscription with traces off, exported at 10 %
//!   sampling and at 100 % (to the receiver process, which answers OTLP like a collector),
//!   in rounds that each start with the next mode (`BENCH_TRACING_ROUNDS`, 3): deliveries/s
//!   of each.
//!
//! `BENCH_ONLY=paced|soak|throughput|lists|tracing` runs one.

use std::path::Path;
use std::time::{Duration, Instant};

use hookshape::model::{
    Attempt, AttemptOutcome, Delivery, DeliveryStatus, Event, ReceivedResponse, SentRequest,
    new_id, time,
};
use hookshape::store::{Fanout, Published, Store};
use hookshape_tests::bench_procs::{
    Server, TOKEN, cpu_ticks, dir_bytes, env_num, now_ns, object, report, run_load, run_role,
    spawn_role, steal_percent,
};
use serde_json::Value;

const CLI: &str = env!("CARGO_BIN_EXE_hookshape-cli");

async fn paced(receiver: &str) {
    let secs = env_num("BENCH_PACED_SECS", 10);
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(CLI, dir.path(), &[]).await;
    server.subscribe(&format!("{receiver}/paced")).await;
    let _ = report(receiver).await;
    println!("paced: 1,000 events/s for {secs} s to one subscription, ten runs");
    let mut over = 0;
    for run in 1..=10 {
        let ticks = cpu_ticks();
        let load = run_load(&server.base, 1_000, secs, 0);
        let steal = steal_percent(ticks, cpu_ticks());
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
            "  run {run:>2}: {acked} acked, publish p99 {:.2} ms; publish→receipt p50 {:.2} ms, p99 {p99_ms:.2} ms, max {:.1} ms; {steal:.1}% of CPU stolen by the host",
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
    let server = Server::start(CLI, dir.path(), &extra).await;
    for i in 0..3 {
        server.subscribe(&format!("{receiver}/soak{i}")).await;
    }
    let empty = dir_bytes(dir.path());
    println!(
        "soak: ~1 KB events at 283/s to 3 subscriptions for {secs} s (retention {})",
        retention.as_deref().unwrap_or("default")
    );
    let base = server.base.clone();
    let load = std::thread::spawn(move || run_load(&base, 283, secs, 0));
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

/// Closed loop: `BENCH_CONCURRENCY` (64) publishers as fast as they are answered for
/// `BENCH_THROUGHPUT_SECS` (20), to one subscription and then fanned out to ten: deliveries
/// received per second, and the server's CPU per delivery.
async fn throughput(receiver: &str) {
    let secs = env_num("BENCH_THROUGHPUT_SECS", 20);
    let concurrency = env_num("BENCH_CONCURRENCY", 64);
    println!("throughput: ~1 KB events, {concurrency} publishers, closed loop for {secs} s");
    for subs in [1u64, 10] {
        let run = closed_loop(receiver, &[], subs, secs, concurrency).await;
        println!(
            "  {subs:>2} subscription(s): {} events acked ({:.0}/s, publish p99 {:.1} ms), {} of {} deliveries in {:.1} s: {:.0} deliveries/s; server CPU {:.3} ms per delivery",
            run.load["acked"],
            run.load["acked"].as_f64().unwrap_or(0.0) / run.load["seconds"].as_f64().unwrap_or(1.0),
            run.load["publish_p99_us"].as_u64().unwrap_or(0) as f64 / 1e3,
            run.count,
            run.expected,
            run.seconds,
            run.count as f64 / run.seconds.max(1e-9),
            run.cpu_seconds * 1e3 / run.count.max(1) as f64,
        );
    }
}

/// What one closed-loop run did.
struct Run {
    /// The load client's report.
    load: Value,
    /// Deliveries received, of those expected.
    count: u64,
    expected: u64,
    /// From the first publish to the last receipt.
    seconds: f64,
    /// The server's CPU over the run.
    cpu_seconds: f64,
}

/// A fresh server with `extra` flags and `subs` subscriptions, loaded in a closed loop.
async fn closed_loop(
    receiver: &str,
    extra: &[&str],
    subs: u64,
    secs: u64,
    concurrency: u64,
) -> Run {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(CLI, dir.path(), extra).await;
    for i in 0..subs {
        server.subscribe(&format!("{receiver}/t{i}")).await;
    }
    let _ = report(receiver).await;
    let cpu = server.cpu_seconds();
    let start = now_ns();
    let load = run_load(&server.base, 0, secs, concurrency);
    let expected = load["acked"].as_u64().unwrap_or(0) * subs;
    let (mut count, mut last_ns) = (0, start);
    let deadline = Instant::now() + Duration::from_secs(120);
    while count < expected && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let got = report(receiver).await;
        count += got["count"].as_u64().unwrap_or(0);
        last_ns = last_ns.max(got["last_ns"].as_u64().unwrap_or(0));
    }
    let cpu_seconds = server.cpu_seconds() - cpu;
    server.stop();
    Run {
        load,
        count,
        expected,
        seconds: last_ns.saturating_sub(start) as f64 / 1e9,
        cpu_seconds,
    }
}

/// What tracing costs: deliveries/s off, at 10 % and at 100 % sampling, rounds alternating
/// so that the machine's drift falls on all three alike.
async fn tracing_cost(receiver: &str) {
    let secs = env_num("BENCH_THROUGHPUT_SECS", 20);
    let concurrency = env_num("BENCH_CONCURRENCY", 64);
    let rounds = env_num("BENCH_TRACING_ROUNDS", 3);
    println!(
        "tracing: one subscription, {concurrency} publishers, {secs} s per run, {rounds} rounds"
    );
    let endpoint = format!("{receiver}/v1/traces");
    let modes: [(&str, Vec<&str>); 3] = [
        ("off", vec![]),
        (
            "10%",
            vec!["--otlp-endpoint", &endpoint, "--trace-sample-ratio", "0.1"],
        ),
        (
            "100%",
            vec!["--otlp-endpoint", &endpoint, "--trace-sample-ratio", "1"],
        ),
    ];
    let mut rates: Vec<Vec<f64>> = vec![Vec::new(); modes.len()];
    for round in 1..=rounds {
        // Each round starts with the next mode, so that no mode always runs first or last.
        let start = (round - 1) as usize % modes.len();
        for i in (0..modes.len()).map(|k| (start + k) % modes.len()) {
            let (name, extra) = &modes[i];
            let run = closed_loop(receiver, extra, 1, secs, concurrency).await;
            let rate = run.count as f64 / run.seconds.max(1e-9);
            println!("  round {round}: traces {name:>4}: {rate:.0} deliveries/s");
            rates[i].push(rate);
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let off = mean(&rates[0]);
    for (i, (name, _)) in modes.iter().enumerate() {
        let m = mean(&rates[i]);
        println!(
            "  traces {name:>4}: mean {m:.0} deliveries/s ({:+.1}% against off)",
            (m / off - 1.0) * 100.0
        );
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
    let server = Server::start(CLI, dir.path(), &[]).await;
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
    let server = Server::start(CLI, dir.path(), &[]).await;
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
    if run_role().await {
        return;
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
    if wants("throughput") {
        throughput(&receiver).await;
    }
    if wants("lists") {
        lists(&receiver).await;
    }
    if wants("tracing") {
        tracing_cost(&receiver).await;
    }
    let _ = rx.child.kill();
    let _ = rx.child.wait();
}
