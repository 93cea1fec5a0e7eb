//! The store's job bookkeeping on a real sled directory: publishing (including two publishes
//! of one id racing), the queue across attempts, and retention.

use hookshape::model::{Attempt, AttemptOutcome, Delivery, DeliveryStatus, Event, new_id, time};
use hookshape::store::{Fanout, Published, Purged, Store};
use serde_json::json;

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
        delivery: Delivery {
            id: new_id("dlv"),
            workspace: event.workspace.clone(),
            event_workspace: None,
            event_id: event.id.clone(),
            event_type: event.event_type.clone(),
            batch: None,
            subscription_id: sub.to_owned(),
            status: DeliveryStatus::Pending,
            attempts: 0,
            manual_attempts: 0,
            next_attempt_ms: Some(due_ms),
            created_ms: event.received_ms,
            updated_ms: event.received_ms,
            last_error: None,
            ordering_key: None,
        },
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
fn succeed(store: &Store, d: &Delivery) {
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
        .expect("finish");
}

#[tokio::test]
async fn a_retry_moves_the_job_and_success_takes_it_off_the_queue() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    let e = event("evt_retry", 1_000);
    let d = publish_new(&store, &e, &[pending(&e, "sub_a", 1_000)])
        .await
        .remove(0);
    let none = |_: &str| false;
    let (due, _) = store.due("sub_a", 1_000, 10, none);
    assert_eq!(due, vec![(1_000, d.id.clone())]);

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
        .expect("finish");
    assert_eq!(
        store.due("sub_a", 4_999, 10, none),
        (vec![], Some(5_000)),
        "the job waits for its retry"
    );
    assert_eq!(
        store.due("sub_a", 5_000, 10, none).0,
        vec![(5_000, d.id.clone())]
    );

    succeed(&store, &retry);
    assert_eq!(store.due("sub_a", u64::MAX, 10, none), (vec![], None));
    let stored = store.delivery(&d.id).expect("read").expect("delivery");
    assert_eq!(stored.status, DeliveryStatus::Succeeded);
    assert_eq!(store.attempts(&d.id).expect("attempts").len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_publishes_of_one_id_keep_one_set_of_deliveries() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
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
            .expect("deliveries")
            .into_iter()
            .map(|d| d.id)
            .collect();
        want.sort();
        stored.sort();
        assert_eq!(stored, want, "only the winner's deliveries remain");
    }
    for sub in ["sub_a", "sub_b"] {
        let (due, _) = store.due(sub, u64::MAX, 1_000, |_| false);
        assert_eq!(due.len(), 40, "one job per event for {sub}");
        let listed = store
            .deliveries_of_subscription(sub, None, None, 1_000)
            .expect("list");
        assert_eq!(listed.len(), 40, "one delivery per event listed for {sub}");
    }
}

#[tokio::test]
async fn retention_removes_old_finished_events_with_deliveries_and_attempts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    let now = time::now_ms();

    let old = event("evt_old", 1_000);
    let old_done = publish_new(
        &store,
        &old,
        &[pending(&old, "sub_a", 1_000), pending(&old, "sub_b", 1_000)],
    )
    .await;
    for d in &old_done {
        succeed(&store, d);
    }
    let old_waiting = event("evt_old_waiting", 2_000);
    let waiting = publish_new(
        &store,
        &old_waiting,
        &[pending(&old_waiting, "sub_a", 2_000)],
    )
    .await;
    let recent = event("evt_recent", now);
    let recent_done = publish_new(&store, &recent, &[pending(&recent, "sub_a", now)]).await;
    succeed(&store, &recent_done[0]);

    let purged = store
        .purge_before(now - 1_000, 100, |_| false)
        .expect("purge");
    assert_eq!(
        purged,
        Purged {
            events: 1,
            deliveries: 2,
            attempts: 2
        }
    );
    assert!(store.event("evt_old").expect("read").is_none());
    for d in &old_done {
        assert!(store.delivery(&d.id).expect("read").is_none());
        assert!(store.attempts(&d.id).expect("attempts").is_empty());
    }
    assert!(
        store
            .deliveries_of_event("evt_old")
            .expect("read")
            .is_empty()
    );
    let listed: Vec<String> = store
        .deliveries_of_subscription("sub_a", None, None, 100)
        .expect("list")
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(
        listed,
        vec![recent_done[0].id.clone(), waiting[0].id.clone()]
    );

    // A pending delivery keeps its old event; a recent one is kept by the cutoff.
    assert!(store.event("evt_old_waiting").expect("read").is_some());
    assert!(store.event("evt_recent").expect("read").is_some());
    let again = store
        .purge_before(now - 1_000, 100, |_| false)
        .expect("purge");
    assert_eq!(again, Purged::default());

    // Once it is finished, the old event goes too.
    succeed(&store, &waiting[0]);
    let last = store
        .purge_before(now - 1_000, 100, |_| false)
        .expect("purge");
    assert_eq!(last.events, 1);
    assert!(store.event("evt_old_waiting").expect("read").is_none());
}

#[tokio::test]
async fn a_reopened_store_has_the_same_queues() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (done, waiting) = {
        let store = Store::open(dir.path()).expect("open");
        let a = event("evt_a", 1_000);
        let b = event("evt_b", 2_000);
        let done = publish_new(&store, &a, &[pending(&a, "sub_a", 1_000)]).await;
        let waiting = publish_new(
            &store,
            &b,
            &[pending(&b, "sub_a", 2_000), pending(&b, "sub_b", 3_000)],
        )
        .await;
        succeed(&store, &done[0]);
        store.flush().await.expect("flush");
        (done, waiting)
    };
    let store = Store::open(dir.path()).expect("reopen");
    let none = |_: &str| false;
    assert_eq!(
        store.due("sub_a", u64::MAX, 10, none),
        (vec![(2_000, waiting[0].id.clone())], None)
    );
    assert_eq!(
        store.due("sub_b", u64::MAX, 10, none),
        (vec![(3_000, waiting[1].id.clone())], None)
    );
    assert_eq!(
        store.delivery(&done[0].id).expect("read").map(|d| d.status),
        Some(DeliveryStatus::Succeeded)
    );
}
