//! The store conformance suite: the same tests against every engine — a real embedded data
//! directory and a real PostgreSQL database — one per invariant of `hookshape::store::engine`:
//! publishing (two publishes of one id racing), batches, the queue across attempts, claims
//! and their leases, retention, reopening, sealed secrets, conditional updates, and (with
//! PostgreSQL) claims and notifications across nodes.

use hookshape::model::{
    Attempt, AttemptOutcome, Delivery, DeliveryStatus, Event, Secret, Subscription, new_id, time,
};
use hookshape::store::{
    Change, DeliveryRange, Fanout, Location, Published, Purged, Store, Updated,
};
use serde_json::json;

/// An engine under test, with what it needs to be opened again.
struct Opened {
    store: Store,
    location: Location,
    dir: tempfile::TempDir,
}

async fn open(kind: &str) -> Opened {
    let dir = tempfile::tempdir().expect("tempdir");
    let location = match kind {
        "embedded" => Location::Embedded,
        _ => Location::Postgres(hookshape_tests::postgres::database()),
    };
    let store = Store::open_at(&location, dir.path(), None)
        .await
        .expect("open");
    Opened {
        store,
        location,
        dir,
    }
}

impl Opened {
    /// Closes the store and opens it again (the same node).
    async fn reopen(self) -> Opened {
        let Opened {
            store,
            location,
            dir,
        } = self;
        store.close().await;
        drop(store);
        let store = Store::open_at(&location, dir.path(), None)
            .await
            .expect("reopen");
        Opened {
            store,
            location,
            dir,
        }
    }

    /// Another node on the same database, with its own data directory and the same key.
    async fn other_node(&self) -> (Store, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::copy(
            self.dir.path().join("main.key"),
            dir.path().join("main.key"),
        )
        .expect("copy key");
        let store = Store::open_at(&self.location, dir.path(), None)
            .await
            .expect("open other node");
        (store, dir)
    }
}

const LEASE: u64 = 60_000;

fn none(_: &str) -> bool {
    false
}

/// Claims due jobs with no skips.
async fn due(
    store: &Store,
    sub: &str,
    now: u64,
    limit: usize,
) -> (Vec<(u64, String)>, Option<u64>) {
    store.due(sub, now, limit, LEASE, &none).await.expect("due")
}

/// Runs `$body` (an async fn taking the engine's name) as one test per engine.
macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod embedded {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name("embedded").await })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name("postgres").await })*
        }
    };
}

conformance!(
    a_retry_moves_the_job_and_success_takes_it_off_the_queue,
    racing_publishes_of_one_id_keep_one_set_of_deliveries,
    retention_removes_old_finished_events_with_deliveries_and_attempts,
    a_reopened_store_has_the_same_queues,
    a_batch_takes_events_until_full_then_is_due,
    claimed_jobs_are_not_handed_out_twice_until_released,
    secrets_reach_the_engine_sealed,
    a_conditional_update_refuses_a_stale_etag,
    events_list_newest_first_from_a_cursor,
    snapshots_swap_atomically_survive_reopening_and_expire,
    lists_by_status_and_id_range_follow_every_status_change,
);

fn event(id: &str, received_ms: u64) -> Event {
    let mut e = Event::new(
        "member.updated",
        &json!({"id": id, "name": "Ada"}),
        None,
        None,
        Some(id.to_owned()),
        None,
    )
    .expect("event");
    e.received_ms = received_ms;
    e
}

fn pending(event: &Event, sub: &str, due_ms: u64) -> Fanout {
    Fanout {
        delivery: Delivery::pending(event, sub, event.received_ms, due_ms),
        max_events: None,
    }
}

fn attempt(d: &Delivery, number: u32, outcome: AttemptOutcome) -> Attempt {
    Attempt {
        delivery_id: d.id.clone(),
        number,
        request_id: new_id("req"),
        started_ms: time::now_ms(),
        duration_ms: 1,
        plugin_id: None,
        plugin_logs: Vec::new(),
        request: None,
        response: None,
        outcome,
        error: None,
    }
}

async fn publish_new(store: &Store, e: &Event, fanout: &[Fanout]) -> Vec<Delivery> {
    match store.publish(e, fanout).await.expect("publish") {
        Published::New(d) => d,
        Published::Existing(_) => panic!("{} existed", e.id),
    }
}

/// Records a successful next attempt.
async fn succeed(store: &Store, d: &Delivery) {
    let mut done = d.clone();
    done.status = DeliveryStatus::Succeeded;
    done.attempts = d.attempts + 1;
    done.next_attempt_ms = None;
    let ran = d.next_attempt_ms.into_iter().collect::<Vec<_>>();
    store
        .finish_attempt(
            Some(&attempt(d, done.attempts, AttemptOutcome::Succeeded)),
            &done,
            &ran,
        )
        .await
        .expect("finish");
}

async fn a_retry_moves_the_job_and_success_takes_it_off_the_queue(kind: &str) {
    let opened = open(kind).await;
    let store = &opened.store;
    let e = event("evt_retry", 1_000);
    let d = publish_new(store, &e, &[pending(&e, "sub_a", 1_000)])
        .await
        .remove(0);
    let (found, _) = due(store, "sub_a", 1_000, 10).await;
    assert_eq!(found, vec![(1_000, d.id.clone())]);

    let mut retry = d.clone();
    retry.attempts = 1;
    retry.next_attempt_ms = Some(5_000);
    retry.last_error = Some("http_status 500".into());
    store
        .finish_attempt(
            Some(&attempt(&d, 1, AttemptOutcome::Failed)),
            &retry,
            &[1_000],
        )
        .await
        .expect("finish");
    assert_eq!(
        due(store, "sub_a", 4_999, 10).await,
        (vec![], Some(5_000)),
        "the job waits for its retry"
    );
    assert_eq!(
        due(store, "sub_a", 5_000, 10).await.0,
        vec![(5_000, d.id.clone())]
    );

    succeed(store, &retry).await;
    assert_eq!(due(store, "sub_a", u64::MAX, 10).await, (vec![], None));
    let stored = store
        .delivery(&d.id)
        .await
        .expect("read")
        .expect("delivery");
    assert_eq!(stored.status, DeliveryStatus::Succeeded);
    assert_eq!(store.attempts(&d.id).await.expect("attempts").len(), 2);
}

async fn racing_publishes_of_one_id_keep_one_set_of_deliveries(kind: &str) {
    let opened = open(kind).await;
    let store = &opened.store;
    for n in 0..40 {
        let e = event(&format!("evt_race_{n}"), time::now_ms());
        let tasks: Vec<_> = (0..2)
            .map(|_| {
                let store = store.clone();
                let e = e.clone();
                let fanout = vec![
                    pending(&e, "sub_a", e.received_ms),
                    pending(&e, "sub_b", e.received_ms),
                ];
                tokio::spawn(async move { store.publish(&e, &fanout).await.expect("publish") })
            })
            .collect();
        let mut winners = Vec::new();
        for t in tasks {
            if let Published::New(d) = t.await.expect("task") {
                winners.push(d);
            }
        }
        assert_eq!(winners.len(), 1, "exactly one publish of {} wins", e.id);
        let mut want: Vec<String> = winners[0].iter().map(|d| d.id.clone()).collect();
        let mut stored: Vec<String> = store
            .deliveries_of_event(&e.id)
            .await
            .expect("deliveries")
            .into_iter()
            .map(|d| d.id)
            .collect();
        want.sort();
        stored.sort();
        assert_eq!(stored, want, "only the winner's deliveries remain");
    }
    for sub in ["sub_a", "sub_b"] {
        let (found, _) = due(store, sub, u64::MAX, 1_000).await;
        let due = found;
        assert_eq!(due.len(), 40, "one job per event for {sub}");
        let listed = store
            .deliveries_of_subscription(sub, DeliveryRange::default(), 1_000)
            .await
            .expect("list");
        assert_eq!(listed.len(), 40, "one delivery per event listed for {sub}");
    }
}

async fn retention_removes_old_finished_events_with_deliveries_and_attempts(kind: &str) {
    let opened = open(kind).await;
    let store = &opened.store;
    let now = time::now_ms();

    let old = event("evt_old", 1_000);
    let old_done = publish_new(
        store,
        &old,
        &[pending(&old, "sub_a", 1_000), pending(&old, "sub_b", 1_000)],
    )
    .await;
    for d in &old_done {
        succeed(store, d).await;
    }
    let old_waiting = event("evt_old_waiting", 2_000);
    let waiting = publish_new(
        store,
        &old_waiting,
        &[pending(&old_waiting, "sub_a", 2_000)],
    )
    .await;
    let recent = event("evt_recent", now);
    let recent_done = publish_new(store, &recent, &[pending(&recent, "sub_a", now)]).await;
    succeed(store, &recent_done[0]).await;

    let purged = store
        .purge_before(now - 1_000, 100, &none)
        .await
        .expect("purge");
    assert_eq!(
        purged,
        Purged {
            events: 1,
            deliveries: 2,
            attempts: 2
        }
    );
    assert!(store.event("evt_old").await.expect("read").is_none());
    for d in &old_done {
        assert!(store.delivery(&d.id).await.expect("read").is_none());
        assert!(store.attempts(&d.id).await.expect("attempts").is_empty());
    }
    assert!(
        store
            .deliveries_of_event("evt_old")
            .await
            .expect("read")
            .is_empty()
    );
    let listed: Vec<String> = store
        .deliveries_of_subscription("sub_a", DeliveryRange::default(), 100)
        .await
        .expect("list")
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(
        listed,
        vec![recent_done[0].id.clone(), waiting[0].id.clone()]
    );

    // A pending delivery keeps its old event; a recent one is kept by the cutoff.
    assert!(
        store
            .event("evt_old_waiting")
            .await
            .expect("read")
            .is_some()
    );
    assert!(store.event("evt_recent").await.expect("read").is_some());
    let again = store
        .purge_before(now - 1_000, 100, &none)
        .await
        .expect("purge");
    assert_eq!(again, Purged::default());

    // Once it is finished, the old event goes too.
    succeed(store, &waiting[0]).await;
    let last = store
        .purge_before(now - 1_000, 100, &none)
        .await
        .expect("purge");
    assert_eq!(last.events, 1);
    assert!(
        store
            .event("evt_old_waiting")
            .await
            .expect("read")
            .is_none()
    );
}

async fn a_reopened_store_has_the_same_queues(kind: &str) {
    let opened = open(kind).await;
    let (done, waiting) = {
        let store = &opened.store;
        let a = event("evt_a", 1_000);
        let b = event("evt_b", 2_000);
        let done = publish_new(store, &a, &[pending(&a, "sub_a", 1_000)]).await;
        let waiting = publish_new(
            store,
            &b,
            &[pending(&b, "sub_a", 2_000), pending(&b, "sub_b", 3_000)],
        )
        .await;
        succeed(store, &done[0]).await;
        // Claimed when the process stops: the same node takes it back when it opens again.
        assert_eq!(due(store, "sub_b", u64::MAX, 10).await.0.len(), 1);
        store.flush().await.expect("flush");
        (done, waiting)
    };
    let opened = opened.reopen().await;
    let store = &opened.store;
    store.requeue_leases(5_000).await.expect("requeue");
    assert_eq!(
        due(store, "sub_a", u64::MAX, 10).await,
        (vec![(2_000, waiting[0].id.clone())], None)
    );
    assert_eq!(
        due(store, "sub_b", u64::MAX, 10).await,
        (vec![(3_000, waiting[1].id.clone())], None)
    );
    assert_eq!(
        store
            .delivery(&done[0].id)
            .await
            .expect("read")
            .map(|d| d.status),
        Some(DeliveryStatus::Succeeded)
    );
}

fn batching(event: &Event, sub: &str, max: u32) -> Fanout {
    let mut f = pending(event, sub, event.received_ms + 60_000);
    f.delivery.batch = Some(vec![event.id.clone()]);
    f.max_events = Some(max);
    f
}

async fn a_batch_takes_events_until_full_then_is_due(kind: &str) {
    let opened = open(kind).await;
    let store = &opened.store;
    let mut held = Vec::new();
    for n in 0..4 {
        let e = event(&format!("evt_batch_{n}"), 1_000 + n);
        held.push(
            publish_new(store, &e, &[batching(&e, "sub_b", 3)])
                .await
                .remove(0),
        );
    }
    // The first three share one delivery, due once full; the fourth opens another.
    assert_eq!(held[0].id, held[1].id);
    assert_eq!(held[1].id, held[2].id);
    assert_ne!(held[2].id, held[3].id);
    let first = store
        .delivery(&held[0].id)
        .await
        .expect("read")
        .expect("batch");
    assert_eq!(
        first.batch.as_deref(),
        Some(
            &[
                "evt_batch_0".to_owned(),
                "evt_batch_1".into(),
                "evt_batch_2".into()
            ][..]
        )
    );
    assert_eq!(first.next_attempt_ms, Some(1_002), "due when it filled");
    // What an attempt reads: the delivery with its events, in the batch's order.
    let (read, events) = store
        .delivery_with_events(&held[0].id)
        .await
        .expect("read")
        .expect("batch");
    assert_eq!(read.id, first.id);
    assert_eq!(
        events.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        ["evt_batch_0", "evt_batch_1", "evt_batch_2"]
    );
    assert!(
        store
            .delivery_with_events("dlv_none")
            .await
            .expect("read")
            .is_none()
    );
    let (found, _) = due(store, "sub_b", 1_002, 10).await;
    assert_eq!(found, vec![(1_002, held[0].id.clone())]);
    assert_eq!(
        store
            .deliveries_of_event("evt_batch_1")
            .await
            .expect("read")
            .len(),
        1
    );
    // Closing the open batch: the next event opens a new one.
    store
        .close_batch("sub_b", &held[3].id)
        .await
        .expect("close");
    let e = event("evt_batch_4", 2_000);
    let next = publish_new(store, &e, &[batching(&e, "sub_b", 3)])
        .await
        .remove(0);
    assert_ne!(next.id, held[3].id);
}

async fn claimed_jobs_are_not_handed_out_twice_until_released(kind: &str) {
    let opened = open(kind).await;
    let store = &opened.store;
    let e = event("evt_claim", 1_000);
    let made = publish_new(
        store,
        &e,
        &[pending(&e, "sub_c", 1_000), pending(&e, "sub_c", 1_000)],
    )
    .await;
    let ids: Vec<String> = made.iter().map(|d| d.id.clone()).collect();
    // Skipped jobs (this worker's own, or behind their ordering key) are left out.
    let skip_first = |id: &str| id == ids[0];
    let (found, _) = store
        .due("sub_c", 1_000, 10, LEASE, &skip_first)
        .await
        .expect("due");
    assert_eq!(found, vec![(1_000, ids[1].clone())]);
    if kind == "embedded" {
        return;
    }
    // Across nodes: what one claimed, another does not get until its lease passes.
    let (other, _other_dir) = opened.other_node().await;
    let (theirs, later) = due(&other, "sub_c", 1_000, 10).await;
    assert_eq!(
        theirs,
        vec![(1_000, ids[0].clone())],
        "only the unclaimed one"
    );
    assert_eq!(later, Some(1_000 + LEASE), "the claims run out then");
    assert_eq!(due(&other, "sub_c", 1_000, 10).await.0, vec![]);
    assert_eq!(
        due(&other, "sub_c", 1_000 + LEASE, 10).await.0.len(),
        2,
        "a dead node's claims are taken over after the lease"
    );
    // Given back, a claim is free at once.
    other.release("sub_c", &ids).await.expect("release");
    assert_eq!(due(store, "sub_c", 1_001, 10).await.0.len(), 2);
    // The ready sweep names subscriptions with unclaimed due jobs only.
    assert_eq!(
        other.ready_subscriptions(1_002).await.expect("ready"),
        Some(vec![])
    );
    assert_eq!(
        other
            .ready_subscriptions(1_000 + LEASE + 1)
            .await
            .expect("ready"),
        Some(vec!["sub_c".to_owned()])
    );
}

fn subscription(ws: &str, secret: &str) -> Subscription {
    let mut sub: Subscription = serde_json::from_value(json!({
        "id": new_id("sub"),
        "workspace": ws,
        "url": "https://example.com/hook",
        "events": ["*"],
        "description": null,
        "status": "enabled",
        "disabled_reason": null,
        "metadata": {},
        "plugin": null,
        "signing": {"scheme": "standard-webhooks"},
        "secrets": [],
        "created_ms": 1,
        "updated_ms": 1,
        "etag": "e1",
    }))
    .expect("subscription");
    sub.secrets = vec![Secret {
        value: secret.to_owned(),
        created_ms: 1,
        expires_ms: None,
    }];
    sub
}

async fn secrets_reach_the_engine_sealed(kind: &str) {
    let opened = open(kind).await;
    let store = &opened.store;
    let sub = subscription("default", "whsec_clear_value");
    store.put_subscription(&sub).await.expect("put");
    let raw = store
        .sealed_subscription(&sub.id)
        .await
        .expect("read")
        .expect("stored");
    assert_ne!(
        raw.secrets[0].value, "whsec_clear_value",
        "the engine holds it sealed"
    );
    let read = store
        .subscription("default", &sub.id)
        .await
        .expect("read")
        .expect("found");
    assert_eq!(read.secrets[0].value, "whsec_clear_value");
    assert!(
        store
            .subscription("other", &sub.id)
            .await
            .expect("read")
            .is_none()
    );
    if kind == "embedded" {
        return;
    }
    // A node whose main key differs is refused: it would seal what the others cannot open.
    let dir = tempfile::tempdir().expect("tempdir");
    let refused = Store::open_at(&opened.location, dir.path(), None).await;
    assert!(
        matches!(&refused, Err(e) if e.to_string().contains("HOOKSHAPE_MAIN_KEY")),
        "a node with another key is refused"
    );
    // Changes reach the other nodes.
    let (other, _dir) = opened.other_node().await;
    let mut changes = other.changes().expect("notifications");
    let mut changed = sub.clone();
    changed.url = "https://example.com/changed".into();
    store.put_subscription(&changed).await.expect("put");
    let e = event("evt_notify", 1_000);
    publish_new(store, &e, &[pending(&e, &sub.id, 1_000)]).await;
    let mut seen = Vec::new();
    while seen.len() < 2 {
        let got = tokio::time::timeout(std::time::Duration::from_secs(10), changes.recv())
            .await
            .expect("a notification arrives")
            .expect("open");
        seen.push(got);
    }
    assert!(seen.contains(&Change::Subscription(sub.id.clone())));
    assert!(seen.contains(&Change::Jobs(sub.id.clone())));
    let read = other
        .subscription("default", &sub.id)
        .await
        .expect("read")
        .expect("found");
    assert_eq!(read.url, "https://example.com/changed");
}

async fn a_conditional_update_refuses_a_stale_etag(kind: &str) {
    let opened = open(kind).await;
    let store = &opened.store;
    let sub = subscription("default", "whsec_x");
    store.put_subscription(&sub).await.expect("put");
    let updated = store
        .update_subscription("default", &sub.id, Some("e1"), |s| {
            s.url = "https://example.com/two".into();
            Ok::<(), ()>(())
        })
        .await
        .expect("update");
    let Ok(Updated::Done(two)) = updated else {
        panic!("updated: {updated:?}");
    };
    assert_ne!(two.etag, "e1");
    let stale = store
        .update_subscription("default", &sub.id, Some("e1"), |_| Ok::<(), ()>(()))
        .await
        .expect("update");
    assert!(matches!(stale, Ok(Updated::Stale)));
    let missing = store
        .update_subscription("other", &sub.id, None, |_| Ok::<(), ()>(()))
        .await
        .expect("update");
    assert!(matches!(missing, Ok(Updated::NotFound)));
    assert!(
        store
            .delete_subscription("default", &sub.id)
            .await
            .expect("delete")
    );
    assert!(
        store
            .subscription("default", &sub.id)
            .await
            .expect("read")
            .is_none()
    );
}

async fn events_list_newest_first_from_a_cursor(kind: &str) {
    let opened = open(kind).await;
    let store = &opened.store;
    for n in 0..5u64 {
        let e = event(&format!("evt_list_{n}"), 1_000 + n);
        publish_new(store, &e, &[]).await;
    }
    let all = |_: &Event| true;
    let page = store
        .events_before((u64::MAX, ""), 2, 100, &all)
        .await
        .expect("list");
    let ids: Vec<&str> = page.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["evt_list_4", "evt_list_3"]);
    let last = &page[1];
    let rest = store
        .events_before((last.received_ms, &last.key()), 10, 100, &all)
        .await
        .expect("list");
    let ids: Vec<&str> = rest.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["evt_list_2", "evt_list_1", "evt_list_0"]);
    let odd = |e: &Event| e.received_ms % 2 == 1;
    let picked = store
        .events_before((u64::MAX, ""), 10, 100, &odd)
        .await
        .expect("list");
    assert_eq!(picked.len(), 2);
}

/// Snapshot swaps return the version they replace, even when racing on one key; they are
/// there after reopening; removal and retention take them away.
async fn snapshots_swap_atomically_survive_reopening_and_expire(kind: &str) {
    let opened = open(kind).await;
    let store = opened.store.clone();
    assert_eq!(
        store
            .swap_snapshot("ws/m/1", Some(b"v1"), 1_000)
            .await
            .expect("swap"),
        None
    );
    assert_eq!(
        store
            .swap_snapshot("ws/m/1", Some(b"v2"), 2_000)
            .await
            .expect("swap"),
        Some(b"v1".to_vec())
    );
    // Racing swaps of one key: every version is returned exactly once, by the swap after it.
    let mut racers = Vec::new();
    for n in 0..16u32 {
        let store = store.clone();
        racers.push(tokio::spawn(async move {
            let mine = format!("r{n}").into_bytes();
            store
                .swap_snapshot("ws/m/race", Some(&mine), 5_000)
                .await
                .expect("swap")
        }));
    }
    let mut seen = Vec::new();
    for r in racers {
        seen.push(r.await.expect("join"));
    }
    let last = store
        .swap_snapshot("ws/m/race", None, 6_000)
        .await
        .expect("swap");
    seen.push(last);
    let mut returned: Vec<Vec<u8>> = seen.into_iter().flatten().collect();
    returned.sort();
    let mut all: Vec<Vec<u8>> = (0..16u32).map(|n| format!("r{n}").into_bytes()).collect();
    all.sort();
    assert_eq!(returned, all, "each version is handed back once");

    store
        .swap_snapshot("ws/m/2", Some(b"old"), 500)
        .await
        .expect("swap");
    drop(store);
    let opened = opened.reopen().await;
    let store = &opened.store;
    assert_eq!(store.purge_snapshots_before(1_500).await.expect("purge"), 1);
    assert_eq!(
        store
            .swap_snapshot("ws/m/2", Some(b"new"), 7_000)
            .await
            .expect("swap"),
        None,
        "the expired snapshot is gone"
    );
    assert_eq!(
        store
            .swap_snapshot("ws/m/1", None, 7_000)
            .await
            .expect("swap"),
        Some(b"v2".to_vec()),
        "the kept one survived reopening"
    );
}

/// The status index follows each change (publish, success, a failing subscription's queue
/// failed, a removed crashed publish), also after reopening; id ranges bound a page.
async fn lists_by_status_and_id_range_follow_every_status_change(kind: &str) {
    let opened = open(kind).await;
    let store = &opened.store;
    let now = time::now_ms();
    let mut made = Vec::new();
    for n in 0..6 {
        let e = event(&format!("evt_idx{n}"), now);
        made.extend(publish_new(store, &e, &[pending(&e, "sub_idx", now)]).await);
    }
    succeed(store, &made[1]).await;
    succeed(store, &made[4]).await;
    let ids = |ds: Vec<Delivery>| ds.into_iter().map(|d| d.id).collect::<Vec<_>>();
    let list = |status: Option<DeliveryStatus>, before: Option<String>, from: Option<String>| {
        let store = store.clone();
        async move {
            let range = DeliveryRange {
                status,
                before: before.as_deref(),
                from: from.as_deref(),
            };
            ids(store
                .deliveries_of_subscription("sub_idx", range, 100)
                .await
                .expect("list"))
        }
    };
    let id = |i: usize| made[i].id.clone();
    assert_eq!(
        list(Some(DeliveryStatus::Succeeded), None, None).await,
        [id(4), id(1)]
    );
    assert_eq!(
        list(Some(DeliveryStatus::Pending), None, None).await,
        [id(5), id(3), id(2), id(0)]
    );
    // A page below a cursor, and a range from an id.
    assert_eq!(
        list(Some(DeliveryStatus::Pending), Some(id(3)), None).await,
        [id(2), id(0)]
    );
    assert_eq!(
        list(None, Some(id(5)), Some(id(2))).await,
        [id(4), id(3), id(2)]
    );
    assert_eq!(
        list(None, Some(id(2)), Some(id(2))).await,
        Vec::<String>::new()
    );

    // Deleting the subscription fails its queue: the pending ones move to failed.
    let failed = store
        .fail_queue("sub_idx", "deleted", now)
        .await
        .expect("fail");
    assert_eq!(failed, 4);
    assert_eq!(
        list(Some(DeliveryStatus::Pending), None, None).await,
        Vec::<String>::new()
    );
    assert_eq!(
        list(Some(DeliveryStatus::Failed), None, None).await,
        [id(5), id(3), id(2), id(0)]
    );
    let reopened = opened.reopen().await;
    let failed = reopened
        .store
        .deliveries_of_subscription(
            "sub_idx",
            DeliveryRange::status(Some(DeliveryStatus::Failed)),
            2,
        )
        .await
        .expect("list");
    assert_eq!(
        ids(failed),
        [id(5), id(3)],
        "a page of two, after reopening"
    );
}
