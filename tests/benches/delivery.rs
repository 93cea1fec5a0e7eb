//! Delivery benchmark: `cargo bench -p hookshape-tests --bench delivery`.
//!
//! Starts the server (release build, in this process) with a loopback receiver and measures,
//! in one run: closed-loop throughput to 1 and to 10 subscriptions running `select-fields` on
//! ~1 KB events (deliveries/s, publish→receipt p50/p99), a paced run at 1,000 events/s, and
//! the loopback ceiling — the same HTTP client posting the same bodies straight to the same
//! receiver; then routing by workspace: 10 plain subscriptions in one workspace against
//! 1,000 workspaces × 10 subscriptions with events published to random workspaces
//! (`BENCH_ONLY=workspaces` runs only these). `BENCH_ONLY=stress` runs the ten-subscription
//! fan-out all healthy, with one endpoint dead, and with one answering in 2 s.
//! `BENCH_ONLY=engines` runs the same loads on sled, on PostgreSQL with one node and with
//! two, and prints them side by side; `BENCH_ONLY=paced` runs ten paced runs in a row.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::HeaderMap;
use hookshape_tests::app::{TOKEN, test_config};
use hookshape_tests::{plugin_bytes, seeds};
use serde_json::{Value, json};

/// Records when each delivery (by `webhook-id` and path) arrived.
#[derive(Clone, Default)]
struct Sink {
    arrivals: Arc<Mutex<Vec<(String, Instant)>>>,
}

impl Sink {
    async fn start(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let arrivals = self.arrivals.clone();
        let app =
            axum::Router::new().fallback(move |headers: HeaderMap, _body: axum::body::Bytes| {
                let arrivals = arrivals.clone();
                async move {
                    let id = headers
                        .get("webhook-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned();
                    arrivals.lock().expect("lock").push((id, Instant::now()));
                    ""
                }
            });
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        format!("http://{addr}")
    }

    fn count(&self) -> usize {
        self.arrivals.lock().expect("lock").len()
    }

    fn take(&self) -> Vec<(String, Instant)> {
        std::mem::take(&mut *self.arrivals.lock().expect("lock"))
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

struct Run {
    /// CPU time spent during the run (s): by this process (server, publishers, receiver)
    /// and by PostgreSQL's processes.
    cpu: (f64, f64),
    deliveries: usize,
    elapsed: Duration,
    p50: Duration,
    p99: Duration,
    publish_rate: f64,
    /// The 99th percentile of the publish request itself (until its 202).
    publish_p99: Duration,
}

/// One load: `events` events with ids `{prefix}_{n}`, published by `concurrency` publishers
/// (closed loop, or paced at `rate` events/s), each expected `fanout` times at the receiver.
struct Load<'a> {
    prefix: &'a str,
    events: usize,
    fanout: usize,
    concurrency: usize,
    rate: Option<f64>,
    /// Publish each event to one of this many workspaces `w0`…, picked at random (0: the
    /// un-prefixed route, `default`).
    workspaces: usize,
}

/// Publishes a load and waits for all its deliveries.
async fn run(client: &reqwest::Client, base: &str, sink: &Sink, load: Load<'_>) -> Run {
    run_on(client, &[base.to_owned()], sink, load).await
}

/// Publishes a load through several nodes in turn and waits for all its deliveries.
async fn run_on(client: &reqwest::Client, bases: &[String], sink: &Sink, load: Load<'_>) -> Run {
    let Load {
        prefix,
        events,
        fanout,
        concurrency,
        rate,
        workspaces,
    } = load;
    // Serialized once: a source system sends bytes it has, and the publishers share these
    // 2 cores with the server.
    let object = seeds::kilobyte_member().to_string();
    let sent: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let took: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let start = Instant::now();
    let cpu_before = cpu_seconds();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let client = client.clone();
        let bases = bases.to_vec();
        let sent = sent.clone();
        let took = took.clone();
        let object = object.clone();
        let prefix = prefix.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut seed = worker as u64 + 1;
            for n in (worker..events).step_by(concurrency) {
                if let Some(rate) = rate {
                    let due = start + Duration::from_secs_f64(n as f64 / rate);
                    tokio::time::sleep_until(due.into()).await;
                }
                let id = format!("{prefix}_{n}");
                let body = format!(r#"{{"id":"{id}","type":"member.updated","object":{object}}}"#);
                let path = if workspaces == 0 {
                    "/v1/events".to_owned()
                } else {
                    seed = seed
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    format!(
                        "/v1/workspaces/w{}/events",
                        (seed >> 33) % workspaces as u64
                    )
                };
                let posted = Instant::now();
                sent.lock().expect("lock").insert(id, posted);
                let base = &bases[n % bases.len()];
                let r = client
                    .post(format!("{base}{path}"))
                    .bearer_auth(TOKEN)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .expect("publish");
                assert_eq!(r.status(), 202);
                took.lock().expect("lock").push(posted.elapsed());
            }
        }));
    }
    for t in tasks {
        t.await.expect("publisher");
    }
    let mut took = std::mem::take(&mut *took.lock().expect("lock"));
    took.sort_unstable();
    let published = start.elapsed();
    let want = events * fanout;
    let deadline = Instant::now() + Duration::from_secs(300);
    while sink.count() < want {
        assert!(
            Instant::now() < deadline,
            "only {} of {want} deliveries arrived",
            sink.count()
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let elapsed = start.elapsed();
    let cpu_after = cpu_seconds();
    let arrivals = sink.take();
    let sent = sent.lock().expect("lock");
    let mut latencies: Vec<Duration> = arrivals
        .iter()
        .filter_map(|(id, at)| sent.get(id).map(|s| at.saturating_duration_since(*s)))
        .collect();
    latencies.sort_unstable();
    Run {
        cpu: (cpu_after.0 - cpu_before.0, cpu_after.1 - cpu_before.1),
        deliveries: arrivals.len(),
        elapsed,
        p50: percentile(&latencies, 0.50),
        p99: percentile(&latencies, 0.99),
        publish_rate: events as f64 / published.as_secs_f64(),
        publish_p99: percentile(&took, 0.99),
    }
}

/// CPU seconds used so far by this process, and by every `postgres` process (Linux).
fn cpu_seconds() -> (f64, f64) {
    // Clock ticks per second, as Linux reports them in /proc (USER_HZ).
    const TICKS: f64 = 100.0;
    let ticks = |stat: &str| -> Option<(String, f64)> {
        let open = stat.find('(')?;
        let close = stat.rfind(')')?;
        let name = stat[open + 1..close].to_owned();
        let fields: Vec<&str> = stat[close + 2..].split(' ').collect();
        let user: f64 = fields.get(11)?.parse().ok()?;
        let system: f64 = fields.get(12)?.parse().ok()?;
        Some((name, (user + system) / TICKS))
    };
    let own = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| ticks(&s))
        .map_or(0.0, |(_, t)| t);
    let mut postgres = 0.0;
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        if let Ok(stat) = std::fs::read_to_string(entry.path().join("stat"))
            && let Some((name, t)) = ticks(&stat)
            && name == "postgres"
        {
            postgres += t;
        }
    }
    (own, postgres)
}

fn report(name: &str, r: &Run) {
    println!(
        "{name:<34} {:>8.0} deliveries/s  p50 {:>7.2} ms  p99 {:>7.2} ms  ({} deliveries in {:.2} s, publishing at {:.0} events/s, publish p99 {:.2} ms)",
        r.deliveries as f64 / r.elapsed.as_secs_f64(),
        ms(r.p50),
        ms(r.p99),
        r.deliveries,
        r.elapsed.as_secs_f64(),
        r.publish_rate,
        ms(r.publish_p99)
    );
}

async fn subscribe(client: &reqwest::Client, base: &str, url: &str, plugin: &str) -> String {
    let r = client
        .post(format!("{base}/v1/subscriptions"))
        .bearer_auth(TOKEN)
        .json(&json!({"url": url, "events": ["member.*"], "plugin": {"id": plugin,
            "config": {"fields": ["id", "status", "name.display", {"path": "email", "as": "contact"}, "billing.plan", "updatedAt"]}}}))
        .send()
        .await
        .expect("subscribe");
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.expect("json");
    v["id"].as_str().expect("id").to_owned()
}

async fn delete(client: &reqwest::Client, base: &str, id: &str) {
    let r = client
        .delete(format!("{base}/v1/subscriptions/{id}"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("delete");
    assert_eq!(r.status(), 204);
}

#[tokio::main]
async fn main() {
    let events = hookshape_tests::bench_events();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut config = test_config(dir.path());
    config.quotas.publish_per_second = None;
    config.timeout = Duration::from_secs(10);
    config.retry = hookshape::dispatch::RetryPolicy::default();
    config.circuit = hookshape::dispatch::CircuitConfig::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let server = hookshape::server::start(config, listener)
        .await
        .expect("server");
    let base = format!("http://{}", server.addr);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()
        .expect("client");
    let sink = Sink::default();
    let sink_url = sink.start().await;

    let upload = client
        .post(format!("{base}/v1/plugins"))
        .bearer_auth(TOKEN)
        .body(plugin_bytes("select-fields"))
        .send()
        .await
        .expect("upload");
    let plugin: Value = upload.json().await.expect("json");
    let plugin = plugin["id"].as_str().expect("id").to_owned();
    println!(
        "{events} events of {} bytes, select-fields, 2 cores, server and receiver in one process",
        seeds::kilobyte_member().to_string().len()
    );

    // Loopback ceiling: the same client, the same kind of body, straight to the receiver.
    let body = json!({"type": "member.updated", "timestamp": "2024-11-08T21:49:46.733Z", "data": seeds::kilobyte_member()}).to_string();
    let start = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..64 {
        let client = client.clone();
        let url = format!("{sink_url}/ceiling");
        let body = body.clone();
        tasks.push(tokio::spawn(async move {
            for n in (worker..events).step_by(64) {
                client
                    .post(&url)
                    .header("webhook-id", format!("c_{n}"))
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await
                    .expect("post");
            }
        }));
    }
    for t in tasks {
        t.await.expect("ceiling");
    }
    let ceiling = events as f64 / start.elapsed().as_secs_f64();
    sink.take();
    println!(
        "{:<34} {ceiling:>8.0} requests/s",
        "loopback ceiling (64 in flight)"
    );

    if std::env::var("BENCH_ONLY").as_deref() == Ok("engines") {
        server.shutdown().await;
        engines(&client, &sink, &sink_url, events).await;
        return;
    }
    if std::env::var("BENCH_ONLY").as_deref() == Ok("paced") {
        paced_runs(&client, &base, &sink, &sink_url, &plugin).await;
        server.shutdown().await;
        return;
    }
    if std::env::var("BENCH_ONLY").as_deref() == Ok("stress") {
        stress(&client, &base, &sink, &sink_url, &plugin, events).await;
        server.shutdown().await;
        return;
    }
    if std::env::var("BENCH_ONLY").as_deref() == Ok("workspaces") {
        by_workspace(&client, &base, &sink, &sink_url, events).await;
        server.shutdown().await;
        return;
    }
    let one = subscribe(&client, &base, &format!("{sink_url}/one"), &plugin).await;
    let r = run(
        &client,
        &base,
        &sink,
        Load {
            prefix: "one",
            events,
            fanout: 1,
            concurrency: 64,
            rate: None,
            workspaces: 0,
        },
    )
    .await;
    report("closed loop, 1 subscription", &r);
    let r = run(
        &client,
        &base,
        &sink,
        Load {
            prefix: "paced",
            events: 5_000,
            fanout: 1,
            concurrency: 64,
            rate: Some(1000.0),
            workspaces: 0,
        },
    )
    .await;
    report("paced 1,000 events/s, 1 subscription", &r);
    delete(&client, &base, &one).await;

    let mut ten = Vec::new();
    for i in 0..10 {
        ten.push(subscribe(&client, &base, &format!("{sink_url}/ten{i}"), &plugin).await);
    }
    let r = run(
        &client,
        &base,
        &sink,
        Load {
            prefix: "ten",
            events: events / 4,
            fanout: 10,
            concurrency: 64,
            rate: None,
            workspaces: 0,
        },
    )
    .await;
    report("closed loop, 10 subscriptions", &r);
    for (prefix, rate, name) in [
        ("pacedhalf", 500.0, "paced 500 events/s, 10 subscriptions"),
        ("pacedten", 1000.0, "paced 1,000 events/s, 10 subscriptions"),
    ] {
        let r = run(
            &client,
            &base,
            &sink,
            Load {
                prefix,
                events: 3_000,
                fanout: 10,
                concurrency: 64,
                rate: Some(rate),
                workspaces: 0,
            },
        )
        .await;
        report(name, &r);
    }
    for id in &ten {
        delete(&client, &base, id).await;
    }
    by_workspace(&client, &base, &sink, &sink_url, events).await;
    server.shutdown().await;
}

/// Routing by workspace must not cost throughput: 10 plain subscriptions (no plugin) in one
/// workspace, then 1,000 workspaces with 10 each and events published to random ones.
async fn by_workspace(
    client: &reqwest::Client,
    base: &str,
    sink: &Sink,
    sink_url: &str,
    events: usize,
) {
    let plain = |ws: Option<String>, url: String| {
        let client = client.clone();
        let base = base.to_owned();
        async move {
            let path = match ws {
                Some(ws) => format!("{base}/v1/workspaces/{ws}/subscriptions"),
                None => format!("{base}/v1/subscriptions"),
            };
            let r = client
                .post(path)
                .bearer_auth(TOKEN)
                .json(&json!({"url": url, "events": ["member.*"]}))
                .send()
                .await
                .expect("subscribe");
            assert_eq!(r.status(), 201);
            let v: Value = r.json().await.expect("json");
            v["id"].as_str().expect("id").to_owned()
        }
    };
    let mut single = Vec::new();
    for i in 0..10 {
        single.push(plain(None, format!("{sink_url}/plain{i}")).await);
    }
    let load = |prefix, workspaces| Load {
        prefix,
        events: events / 4,
        fanout: 10,
        concurrency: 64,
        rate: None,
        workspaces,
    };
    let r = run(client, base, sink, load("plainone", 0)).await;
    report("1 workspace × 10 plain subs", &r);
    for id in &single {
        delete(client, base, id).await;
    }

    let started = Instant::now();
    let mut made = Vec::new();
    for w in 0..1_000 {
        let r = client
            .post(format!("{base}/v1/workspaces"))
            .bearer_auth(TOKEN)
            .json(&json!({"id": format!("w{w}"), "name": format!("workspace {w}")}))
            .send()
            .await
            .expect("workspace");
        assert_eq!(r.status(), 201);
        for i in 0..10 {
            made.push(tokio::spawn(plain(
                Some(format!("w{w}")),
                format!("{sink_url}/w{w}s{i}"),
            )));
        }
        if made.len() >= 160 {
            for m in made.drain(..) {
                m.await.expect("subscribe");
            }
        }
    }
    for m in made {
        m.await.expect("subscribe");
    }
    println!(
        "(made 1,000 workspaces and 10,000 subscriptions in {:.1} s)",
        started.elapsed().as_secs_f64()
    );
    let r = run(client, base, sink, load("manyws", 1_000)).await;
    report("1,000 workspaces × 10 plain subs", &r);
}

/// An endpoint that answers after `delay`.
async fn slow_endpoint(delay: Duration) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let app = axum::Router::new().fallback(move || async move {
        tokio::time::sleep(delay).await;
        ""
    });
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

/// Ten subscriptions fanned out to, all healthy; then one of them dead (a closed port), then
/// one answering in 2 s: the nine healthy ones' deliveries/s and latency each time.
async fn stress(
    client: &reqwest::Client,
    base: &str,
    sink: &Sink,
    sink_url: &str,
    plugin: &str,
    events: usize,
) {
    let events = events / 4;
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let slow = slow_endpoint(Duration::from_secs(2)).await;
    let cases: [(&str, Option<String>); 3] = [
        ("10 subscriptions, all healthy", None),
        (
            "1 of 10 dead: the 9 healthy",
            Some(format!("http://127.0.0.1:{closed}/dead")),
        ),
        (
            "1 of 10 answering in 2 s: the 9",
            Some(format!("{slow}/slow")),
        ),
    ];
    // Closed loop (throughput), then paced at 300 events/s (3,000 deliveries/s, below
    // capacity: latency).
    let runs: Vec<(usize, &str, Option<String>, Option<f64>)> = cases
        .iter()
        .enumerate()
        .map(|(n, (name, bad))| (n, *name, bad.clone(), None))
        .chain(
            cases
                .iter()
                .enumerate()
                .map(|(n, (name, bad))| (n + 3, *name, bad.clone(), Some(300.0))),
        )
        .collect();
    for (n, name, bad, rate) in runs {
        let name = match rate {
            Some(r) => format!("paced {r:.0}/s, {name}"),
            None => name.to_owned(),
        };
        let mut subs = Vec::new();
        for i in 0..9 {
            subs.push(subscribe(client, base, &format!("{sink_url}/s{n}_{i}"), plugin).await);
        }
        let tenth = bad.clone().unwrap_or_else(|| format!("{sink_url}/s{n}_9"));
        subs.push(subscribe(client, base, &tenth, plugin).await);
        let r = run(
            client,
            base,
            sink,
            Load {
                prefix: &format!("stress{n}"),
                events: if rate.is_some() { 1_500 } else { events },
                fanout: if bad.is_some() { 9 } else { 10 },
                concurrency: 64,
                rate,
                workspaces: 0,
            },
        )
        .await;
        report(&name, &r);
        for id in subs {
            delete(client, base, &id).await;
        }
        sink.take();
    }
}

/// Ten consecutive paced runs (1,000 events/s for 5 s, one subscription): each run's p99.
async fn paced_runs(
    client: &reqwest::Client,
    base: &str,
    sink: &Sink,
    sink_url: &str,
    plugin: &str,
) {
    let one = subscribe(client, base, &format!("{sink_url}/paced"), plugin).await;
    let mut worst = Duration::ZERO;
    for run_no in 0..10 {
        let prefix = format!("paced{run_no}");
        let r = run(
            client,
            base,
            sink,
            Load {
                prefix: &prefix,
                events: 5_000,
                fanout: 1,
                concurrency: 64,
                rate: Some(1000.0),
                workspaces: 0,
            },
        )
        .await;
        worst = worst.max(r.p99);
        report(&format!("paced 1,000 events/s, run {}", run_no + 1), &r);
    }
    println!("worst p99 of ten runs: {:.2} ms", ms(worst));
    delete(client, base, &one).await;
}

/// One engine's nodes: in-process servers on one store, with the same main key.
async fn start_nodes(
    location: &hookshape::store::Location,
    nodes: usize,
) -> (
    Vec<hookshape::server::Server>,
    Vec<String>,
    Vec<tempfile::TempDir>,
) {
    let mut servers = Vec::new();
    let mut bases = Vec::new();
    let mut dirs = Vec::new();
    for _ in 0..nodes {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut config = test_config(dir.path());
        config.quotas.publish_per_second = None;
        config.timeout = Duration::from_secs(10);
        config.retry = hookshape::dispatch::RetryPolicy::default();
        config.circuit = hookshape::dispatch::CircuitConfig::default();
        config.store = location.clone();
        config.main_key = Some("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".into());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let server = hookshape::server::start(config, listener)
            .await
            .expect("server");
        bases.push(format!("http://{}", server.addr));
        servers.push(server);
        dirs.push(dir);
    }
    (servers, bases, dirs)
}

/// A closed loop of `closed` events, then `paced` events at 1,000/s, each to `fanout`
/// endpoints, published through `bases` in turn.
async fn closed_and_paced(
    client: &reqwest::Client,
    bases: &[String],
    sink: &Sink,
    tag: &str,
    fanout: usize,
    closed: usize,
    paced: usize,
) -> Vec<Run> {
    let mut runs = Vec::new();
    for (kind, events, rate) in [("c", closed, None), ("p", paced, Some(1000.0))] {
        let prefix = format!("{tag}{kind}{fanout}");
        let load = Load {
            prefix: &prefix,
            events,
            fanout,
            concurrency: 64,
            rate,
            workspaces: 0,
        };
        runs.push(run_on(client, bases, sink, load).await);
    }
    runs
}

/// The same loads on each engine, side by side: sled, PostgreSQL with one node, and with two
/// nodes taking turns at publishing. The PostgreSQL server runs on this machine with its
/// default durability (a WAL fsync per commit).
async fn engines(client: &reqwest::Client, sink: &Sink, sink_url: &str, events: usize) {
    use hookshape::store::Location;
    let setups = [
        ("embedded", Location::Embedded, 1),
        (
            "postgres, 1 node",
            Location::Postgres(hookshape_tests::postgres::durable_database()),
            1,
        ),
        (
            "postgres, 2 nodes",
            Location::Postgres(hookshape_tests::postgres::durable_database()),
            2,
        ),
    ];
    let mut table = Vec::new();
    for (name, location, nodes) in setups {
        let (servers, bases, _dirs) = start_nodes(&location, nodes).await;
        let upload = client
            .post(format!("{}/v1/plugins", bases[0]))
            .bearer_auth(TOKEN)
            .body(plugin_bytes("select-fields"))
            .send()
            .await
            .expect("upload");
        let plugin: Value = upload.json().await.expect("json");
        let plugin = plugin["id"].as_str().expect("id").to_owned();
        let tag = name.replace([' ', ','], "");
        let one = subscribe(client, &bases[0], &format!("{sink_url}/{tag}one"), &plugin).await;
        // Let the other nodes load it (they are told by notification).
        tokio::time::sleep(Duration::from_millis(300)).await;
        let mut row = closed_and_paced(client, &bases, sink, &tag, 1, events, 5_000).await;
        delete(client, &bases[0], &one).await;
        let mut ten = Vec::new();
        for i in 0..10 {
            let url = format!("{sink_url}/{tag}ten{i}");
            ten.push(subscribe(client, &bases[0], &url, &plugin).await);
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        row.extend(closed_and_paced(client, &bases, sink, &tag, 10, events / 4, 3_000).await);
        for id in &ten {
            delete(client, &bases[0], id).await;
        }
        for s in servers {
            s.shutdown().await;
        }
        table.push((name, row));
    }
    println!();
    println!(
        "| engine | closed, 1 endpoint | paced 1,000/s, 1 endpoint (p50 / p99) | closed, fan-out 10 | paced 1,000/s, fan-out 10 (p50 / p99) |"
    );
    println!("| --- | --- | --- | --- | --- |");
    // Where the CPU went in the closed loops: this process (hookshape, publishers and
    // receiver) against PostgreSQL, per delivery.
    let split = |r: &Run| {
        format!(
            "{:.0} µs here + {:.0} µs PostgreSQL per delivery",
            r.cpu.0 * 1e6 / r.deliveries as f64,
            r.cpu.1 * 1e6 / r.deliveries as f64
        )
    };
    for (name, row) in &table {
        println!(
            "CPU, {name}: closed 1 endpoint {}; closed fan-out 10 {}",
            split(&row[0]),
            split(&row[2])
        );
    }
    for (name, row) in &table {
        let rate = |r: &Run| {
            format!(
                "{:.0} deliveries/s",
                r.deliveries as f64 / r.elapsed.as_secs_f64()
            )
        };
        let lat = |r: &Run| format!("{:.2} / {:.2} ms", ms(r.p50), ms(r.p99));
        println!(
            "| {name} | {} | {} | {} | {} |",
            rate(&row[0]),
            lat(&row[1]),
            rate(&row[2]),
            lat(&row[3])
        );
    }
}
