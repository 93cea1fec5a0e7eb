//! Per-key ordering on PostgreSQL is decided in the database: of a subscription's pending
//! deliveries with one key, only the one published first may be claimed, by any node,
//! whatever its id says; the next one is free once the head has finished.

use hookshape::model::{Attempt, AttemptOutcome, Delivery, DeliveryStatus, Event, new_id, time};
use hookshape::store::{Fanout, Location, Published, Store};
use serde_json::json;

const LEASE: u64 = 60_000;
const SUB: &str = "sub_ordered";

fn none(_: &str) -> bool {
    false
}

async fn node(
    location: &Location,
    key_from: Option<&std::path::Path>,
) -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    if let Some(first) = key_from {
        std::fs::copy(first.join("main.key"), dir.path().join("main.key")).expect("copy key");
    }
    let store = Store::open_at(location, dir.path(), None)
        .await
        .expect("open");
    (store, dir)
}

/// Publishes one event of `key` (or none) through `store`; its delivery gets `id`.
async fn publish(store: &Store, n: u32, key: Option<&str>, id: &str) -> Delivery {
    let mut e = Event::new(
        "member.updated",
        &json!({"id": key, "n": n}),
        None,
        None,
        Some(format!("evt_{n}")),
        None,
    )
    .expect("event");
    e.received_ms = 1_000;
    let mut d = Delivery::pending(&e, SUB, 1_000, 1_000);
    d.id = id.to_owned();
    d.ordering_key = key.map(str::to_owned);
    let fanout = [Fanout {
        delivery: d,
        max_events: None,
    }];
    match store.publish(&e, &fanout).await.expect("publish") {
        Published::New(mut made) => made.remove(0),
        Published::Existing(_) => panic!("evt_{n} existed"),
    }
}

async fn claim(store: &Store, now: u64) -> Vec<String> {
    let (due, _) = store.due(SUB, now, 10, LEASE, &none).await.expect("due");
    let mut ids: Vec<String> = due.into_iter().map(|(_, id)| id).collect();
    ids.sort();
    ids
}

async fn finish(store: &Store, d: &Delivery, status: DeliveryStatus, next: Option<u64>) {
    let mut done = d.clone();
    done.status = status;
    done.attempts += 1;
    done.next_attempt_ms = next;
    let attempt = Attempt {
        delivery_id: d.id.clone(),
        number: done.attempts,
        request_id: new_id("req"),
        started_ms: time::now_ms(),
        duration_ms: 1,
        plugin_id: None,
        plugin_logs: Vec::new(),
        request: None,
        response: None,
        outcome: AttemptOutcome::Succeeded,
        error: None,
    };
    store
        .finish_attempt(Some(&attempt), &done, &[1_000])
        .await
        .expect("finish");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_key_s_oldest_pending_delivery_is_claimed_on_any_node() {
    let location = Location::Postgres(hookshape_tests::postgres::database());
    let (a, a_dir) = node(&location, None).await;
    let (b, _b_dir) = node(&location, Some(a_dir.path())).await;

    // Published in this order, through both nodes, with ids that sort the other way round
    // (as two nodes' ids of one millisecond may): the database's order is what counts.
    let first = publish(&a, 1, Some("acc_1"), "dlv_9").await;
    let second = publish(&b, 2, Some("acc_1"), "dlv_5").await;
    let third = publish(&a, 3, Some("acc_1"), "dlv_1").await;
    let other_key = publish(&b, 4, Some("acc_2"), "dlv_7").await;
    let unkeyed = publish(&a, 5, None, "dlv_3").await;

    let claimed = claim(&b, 1_000).await;
    assert_eq!(
        claimed,
        vec![unkeyed.id.clone(), other_key.id.clone(), first.id.clone()],
        "each key's head, and what has no key"
    );
    assert_eq!(
        claim(&a, 1_000).await,
        Vec::<String>::new(),
        "nothing else is free"
    );

    // A head that failed and waits for its retry still holds its key back, even once its
    // claim has run out.
    finish(&b, &first, DeliveryStatus::Pending, Some(50_000)).await;
    assert_eq!(claim(&a, 2_000).await, Vec::<String>::new());
    assert_eq!(
        claim(&a, 50_000).await,
        vec![first.id.clone()],
        "the head again, at its retry"
    );

    // Delivered: the next of its key goes, on the other node; failed for good: the next.
    finish(&a, &first, DeliveryStatus::Succeeded, None).await;
    assert_eq!(claim(&b, 50_000).await, vec![second.id.clone()]);
    finish(&b, &second, DeliveryStatus::Failed, None).await;
    assert_eq!(claim(&a, 50_000).await, vec![third.id.clone()]);
}
