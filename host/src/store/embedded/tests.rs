//! What opening the store does with what earlier releases left (a publish a crash cut short,
//! a sled database), and retention over pending events.

use super::{EmbeddedStore, keys};
use crate::model::{Delivery, DeliveryStatus, Event, time};
use crate::store::Fanout;

fn fanout(event: &Event, subs: &[&str]) -> Vec<Fanout> {
    let now = time::now_ms();
    subs.iter()
        .map(|s| Fanout {
            delivery: Delivery::pending(event, s, now, now),
            max_events: None,
        })
        .collect()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("hookshape-{name}-{}", crate::model::new_ulid()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn event() -> Event {
    Event::new(
        "member.updated",
        &serde_json::json!({"id": "mem_1"}),
        None,
        None,
        None,
        None,
    )
    .expect("event")
}

/// What an earlier release wrote for a publish before its marker: the intent, the body, the
/// deliveries with their indexes and jobs, the time entry. Returns the nonce and the
/// intent's key.
fn write_uncommitted(store: &EmbeddedStore, e: &Event, f: &[Fanout]) -> (String, Vec<u8>) {
    let nonce = crate::model::new_ulid();
    let intent_key = keys::intent(&nonce);
    let intent = serde_json::json!({"k": e.key(), "t": e.received_ms,
        "d": f.iter().map(|x| (&x.delivery.id, &x.delivery.subscription_id, x.delivery.queued_at()))
            .collect::<Vec<_>>()});
    let t = &store.tree;
    t.insert(&intent_key, intent.to_string()).expect("intent");
    store
        .events
        .insert(e.key(), super::encode(e))
        .expect("body");
    for x in f {
        let d = &x.delivery;
        t.insert(keys::delivery(&d.id), super::encode(d))
            .expect("write");
        t.insert(keys::event_delivery(&e.key(), &d.id), b"")
            .expect("write");
        t.insert(keys::sub_delivery(&d.subscription_id, &d.id), b"")
            .expect("write");
        t.insert(keys::sub_status(&d.subscription_id, d.status, &d.id), b"")
            .expect("write");
        if let Some(due) = d.queued_at() {
            t.insert(keys::due(&d.subscription_id, due, &d.id), b"")
                .expect("write");
        }
    }
    t.insert(keys::event_time(e.received_ms, &e.key()), b"")
        .expect("write");
    (nonce, intent_key)
}

/// Every trace a delivery leaves in the main tree.
fn traces(store: &EmbeddedStore, d: &Delivery) -> Vec<String> {
    let sub = &d.subscription_id;
    let mut keys = vec![
        keys::delivery(&d.id),
        keys::sub_delivery(sub, &d.id),
        keys::sub_status(sub, DeliveryStatus::Pending, &d.id),
        keys::event_delivery(&d.event_key(), &d.id),
    ];
    if let Some(t) = d.queued_at() {
        keys.push(keys::due(sub, t, &d.id));
    }
    keys.into_iter()
        .filter(|k| store.tree.contains_key(k).expect("read"))
        .map(|k| String::from_utf8_lossy(&k).into_owned())
        .collect()
}

#[test]
fn an_earlier_releases_publish_cut_before_its_marker_is_undone_at_open() {
    let dir = temp_dir("cut-publish");
    let e = event();
    let f = fanout(&e, &["sub_a", "sub_b"]);
    {
        let store = EmbeddedStore::open(&dir).expect("open");
        write_uncommitted(&store, &e, &f);
        store.flush_sync().expect("flush");
        assert_eq!(
            traces(&store, &f[0].delivery).len(),
            5,
            "written before the cut"
        );
    }
    let store = EmbeddedStore::open(&dir).expect("reopen");
    for x in &f {
        assert_eq!(traces(&store, &x.delivery), Vec::<String>::new());
    }
    assert!(
        store.event(&e.key()).expect("read").is_none(),
        "the body went too"
    );
    assert!(!store.event_committed(&e.key()).expect("read"));
    assert_eq!(store.queues.depths(), Vec::new(), "no job is queued");
    assert_eq!(store.tree.scan_prefix(keys::INTENTS).count(), 0);
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_earlier_releases_publish_cut_after_its_marker_stays_whole() {
    let dir = temp_dir("cut-after-marker");
    let e = event();
    let f = fanout(&e, &["sub_a"]);
    {
        let store = EmbeddedStore::open(&dir).expect("open");
        let (nonce, _) = write_uncommitted(&store, &e, &f);
        store
            .tree
            .insert(keys::event(&e.key()), nonce.as_bytes())
            .expect("marker");
        store.flush_sync().expect("flush");
    }
    let store = EmbeddedStore::open(&dir).expect("reopen");
    assert_eq!(
        traces(&store, &f[0].delivery).len(),
        5,
        "committed: kept whole"
    );
    assert!(store.event_committed(&e.key()).expect("read"));
    assert_eq!(store.queues.depths().len(), 1, "its job is queued");
    assert_eq!(
        store.tree.scan_prefix(keys::INTENTS).count(),
        0,
        "the intent is gone"
    );
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_losing_publish_of_the_same_id_cut_short_leaves_the_winner_alone() {
    let dir = temp_dir("cut-loser");
    let e = event();
    let winner = fanout(&e, &["sub_a"]);
    let loser = fanout(&e, &["sub_a"]);
    {
        let store = EmbeddedStore::open(&dir).expect("open");
        let (nonce, intent) = write_uncommitted(&store, &e, &winner);
        write_uncommitted(&store, &e, &loser);
        store
            .tree
            .insert(keys::event(&e.key()), nonce.as_bytes())
            .expect("marker");
        store.tree.remove(intent).expect("done");
        store.flush_sync().expect("flush");
    }
    let store = EmbeddedStore::open(&dir).expect("reopen");
    assert_eq!(traces(&store, &winner[0].delivery).len(), 5);
    assert_eq!(traces(&store, &loser[0].delivery), Vec::<String>::new());
    assert!(
        store.event(&e.key()).expect("read").is_some(),
        "the body stays"
    );
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A data directory of an earlier release (sled in `db/`, compressed or not, plugin wasm in
/// a tree) is copied over at the first open, and `db/` goes; later opens use the copy.
#[test]
fn an_earlier_releases_sled_database_is_copied_over_once() {
    for compressed in [false, true] {
        let dir = temp_dir("from-sled");
        let plugin_id = "ab".repeat(32);
        {
            let db = sled::Config::new()
                .path(dir.join("db"))
                .use_compression(compressed)
                .open()
                .expect("older database");
            db.insert(keys::event("x"), &b""[..]).expect("write");
            db.open_tree("events")
                .expect("tree")
                .insert("x", super::encode(&event()))
                .expect("write");
            db.open_tree("wasm")
                .expect("tree")
                .insert(plugin_id.as_bytes(), &b"\0asm"[..])
                .expect("write");
            db.flush().expect("flush");
        }
        {
            let store = EmbeddedStore::open(&dir).expect("copies");
            assert!(
                store.event_committed("x").expect("read"),
                "its marker is there"
            );
            assert!(store.event("x").expect("read").is_some(), "its body too");
            assert_eq!(
                store.wasm.get(&plugin_id).expect("read").as_deref(),
                Some(&b"\0asm"[..]),
                "plugin wasm went to files"
            );
        }
        assert!(!dir.join("db").exists(), "the old database went");
        assert!(dir.join("kv").exists());
        let store = EmbeddedStore::open(&dir).expect("reopens");
        assert!(store.event_committed("x").expect("read"));
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Events whose deliveries are still pending stay, and do not use up a retention pass's
/// batch: the finished events behind them go.
#[test]
fn retention_passes_over_pending_events_to_the_finished_ones_behind() {
    let dir = temp_dir("retention");
    let store = EmbeddedStore::open(&dir).expect("open");
    let publish = |finish: bool| {
        let mut e = event();
        e.received_ms = 1_000;
        let f = fanout(&e, &["sub_a"]);
        store
            .write_publish(&e, &keys::event(&e.key()), &f)
            .expect("publish")
            .expect("new");
        let mut d = f[0].delivery.clone();
        let due = d.next_attempt_ms.expect("due");
        if finish {
            d.status = DeliveryStatus::Succeeded;
            d.next_attempt_ms = None;
            store.finish_attempt(None, &d, &[due]).expect("finish");
        }
        e.key()
    };
    let pending: Vec<String> = (0..5).map(|_| publish(false)).collect();
    let finished: Vec<String> = (0..3).map(|_| publish(true)).collect();
    let purged = store
        .purge_before(2_000, 2, &|_: &str| false)
        .expect("purge");
    assert_eq!(purged.events, 2, "{purged:?}");
    let purged = store
        .purge_before(2_000, 2, &|_: &str| false)
        .expect("purge");
    assert_eq!(purged.events, 1, "{purged:?}");
    for key in &finished {
        assert!(store.event(key).expect("read").is_none(), "{key} went");
    }
    for key in &pending {
        assert!(store.event(key).expect("read").is_some(), "{key} stays");
    }
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}
