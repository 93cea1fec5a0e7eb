//! Storage benchmark: `cargo bench -p hookshape-tests --bench store`.
//!
//! What the store alone costs per event and per delivery, without HTTP or plugins: publishing
//! ~1 KB events to 1 and to 10 subscriptions (64 publishers sharing group commits), recording
//! attempts, and the bytes the store wrote to disk per operation (write amplification).

use std::sync::Arc;
use std::time::Instant;

use hookshape::model::{
    Attempt, AttemptOutcome, Delivery, DeliveryStatus, Event, ReceivedResponse, SentRequest,
    new_id, time,
};
use hookshape::store::{Fanout, Location, Published, Store};
use hookshape_tests::seeds;

/// Bytes this process has written to disk so far (Linux; 0 elsewhere).
fn written() -> u64 {
    std::fs::read_to_string("/proc/self/io")
        .ok()
        .and_then(|io| {
            io.lines()
                .find_map(|l| l.strip_prefix("write_bytes: ")?.trim().parse().ok())
        })
        .unwrap_or(0)
}

fn fanout(event: &Event, subs: usize) -> Vec<Fanout> {
    let now = time::now_ms();
    (0..subs)
        .map(|i| Fanout {
            delivery: Delivery::pending(event, &format!("sub_{i}"), now, now),
            max_events: None,
        })
        .collect()
}

fn attempt_of(d: &Delivery, body: &str) -> Attempt {
    let headers = |n: usize| {
        (0..n)
            .map(|i| (format!("header-{i}"), "x".repeat(40)))
            .collect()
    };
    Attempt {
        delivery_id: d.id.clone(),
        number: 1,
        request_id: new_id("req"),
        started_ms: time::now_ms(),
        duration_ms: 1,
        plugin_id: Some("f".repeat(64)),
        plugin_logs: Vec::new(),
        request: Some(SentRequest {
            url: "https://example.com/hook".into(),
            headers: headers(5),
            body: body[..body.len().min(300)].to_owned(),
            body_is_default: false,
        }),
        response: Some(ReceivedResponse {
            status: 200,
            headers: headers(3),
            body: String::new(),
            truncated: false,
        }),
        outcome: AttemptOutcome::Succeeded,
        error: None,
    }
}

struct Figures {
    per_second: f64,
    bytes_per_op: f64,
}

fn print(name: &str, unit: &str, f: &Figures) {
    println!(
        "{name:<40} {:>9.0} {unit}/s  {:>7.1} µs each  {:>8.0} bytes written each",
        f.per_second,
        1e6 / f.per_second,
        f.bytes_per_op
    );
}

/// Publishes `events` events to `subs` subscriptions from 64 tasks; returns the deliveries.
async fn publish(store: &Store, events: usize, subs: usize) -> (Figures, Vec<Delivery>) {
    let object = seeds::kilobyte_member();
    let before = written();
    let start = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..64 {
        let store = store.clone();
        let object = object.clone();
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            for _ in (worker..events).step_by(64) {
                let event =
                    Event::new("member.updated", &object, None, None, None, None).expect("event");
                let f = fanout(&event, subs);
                match store.publish(&event, &f).await.expect("publish") {
                    Published::New(d) => out.extend(d),
                    Published::Existing(_) => panic!("fresh ids collided"),
                }
            }
            out
        }));
    }
    let mut deliveries = Vec::new();
    for t in tasks {
        deliveries.extend(t.await.expect("publisher"));
    }
    assert_eq!(deliveries.len(), events * subs);
    let elapsed = start.elapsed().as_secs_f64();
    let figures = Figures {
        per_second: events as f64 / elapsed,
        bytes_per_op: (written() - before) as f64 / events as f64,
    };
    (figures, deliveries)
}

/// Records one successful attempt per delivery, from 2 threads' worth of tasks.
async fn finish(store: &Store, deliveries: Vec<Delivery>) -> Figures {
    let n = deliveries.len();
    let body = seeds::kilobyte_member().to_string();
    let before = written();
    let start = Instant::now();
    let shared = Arc::new(deliveries);
    let mut tasks = Vec::new();
    for worker in 0..8 {
        let store = store.clone();
        let shared = shared.clone();
        let body = body.clone();
        tasks.push(tokio::spawn(async move {
            for d in shared.iter().skip(worker).step_by(8) {
                let a = attempt_of(d, &body);
                let mut done = d.clone();
                let due = d.next_attempt_ms.unwrap_or_default();
                done.status = DeliveryStatus::Succeeded;
                done.attempts = 1;
                done.next_attempt_ms = None;
                store
                    .finish_attempt(Some(&a), &done, &[due])
                    .await
                    .expect("finish");
            }
        }));
    }
    for t in tasks {
        t.await.expect("recorder");
    }
    let elapsed = start.elapsed().as_secs_f64();
    assert_eq!(
        store
            .delivery(&shared[n - 1].id)
            .await
            .expect("read")
            .map(|d| d.status),
        Some(DeliveryStatus::Succeeded)
    );
    Figures {
        per_second: n as f64 / elapsed,
        bytes_per_op: (written() - before) as f64 / n as f64,
    }
}

#[tokio::main]
async fn main() {
    let events = hookshape_tests::bench_events();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).await.expect("open");
    println!(
        "{events} events of {} bytes, 2 cores",
        seeds::kilobyte_member().to_string().len()
    );
    let (f, one) = publish(&store, events, 1).await;
    print("publish, 1 subscription", "events", &f);
    let f = finish(&store, one).await;
    print("record attempt", "deliveries", &f);
    let (f, ten) = publish(&store, events / 4, 10).await;
    print("publish, 10 subscriptions", "events", &f);
    let f = finish(&store, ten).await;
    print("record attempt (10 subscriptions)", "deliveries", &f);

    // Opening loads every queued job into memory: time it with a backlog left queued.
    let (_, pending) = publish(&store, events, 1).await;
    store.flush().await.expect("flush");
    drop(store);
    let start = Instant::now();
    let store = Store::open(dir.path()).await.expect("reopen");
    let took = start.elapsed();
    let (due, _) = store
        .due("sub_0", u64::MAX, usize::MAX, 0, &|_| false)
        .await
        .expect("due");
    assert_eq!(due.len(), pending.len(), "every queued job is loaded");
    println!(
        "{:<40} {:>9.0} ms for {} queued jobs",
        "open with a backlog",
        took.as_secs_f64() * 1e3,
        due.len()
    );

    // The same operations on PostgreSQL (a local server with its default durability: every
    // commit waits for its WAL fsync). Bytes written are the server's, not counted here.
    let url = hookshape_tests::postgres::durable_database();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_at(&Location::Postgres(url), dir.path(), None)
        .await
        .expect("open postgres");
    println!("PostgreSQL (bytes written by the server not counted):");
    let (f, one) = publish(&store, events, 1).await;
    print("publish, 1 subscription", "events", &f);
    let f = finish(&store, one).await;
    print("record attempt", "deliveries", &f);
    let (f, ten) = publish(&store, events / 4, 10).await;
    print("publish, 10 subscriptions", "events", &f);
    let f = finish(&store, ten).await;
    print("record attempt (10 subscriptions)", "deliveries", &f);
}
