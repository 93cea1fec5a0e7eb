//! A publish cut short by a crash, at each point where it can be cut: what opening the store
//! again leaves.

use super::{SledStore, keys};
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

/// Every trace a delivery leaves in the main tree.
fn traces(store: &SledStore, d: &Delivery) -> Vec<String> {
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
fn a_publish_cut_before_its_marker_is_undone_at_open() {
    let dir = temp_dir("cut-publish");
    let e = event();
    let f = fanout(&e, &["sub_a", "sub_b"]);
    {
        let store = SledStore::open(&dir).expect("open");
        store.write_uncommitted(&e, &f).expect("write");
        store.flush_sync().expect("flush");
        assert_eq!(
            traces(&store, &f[0].delivery).len(),
            5,
            "written before the cut"
        );
    }
    let store = SledStore::open(&dir).expect("reopen");
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
fn a_publish_cut_after_its_marker_stays_whole() {
    let dir = temp_dir("cut-after-marker");
    let e = event();
    let f = fanout(&e, &["sub_a"]);
    {
        let store = SledStore::open(&dir).expect("open");
        let (nonce, _) = store.write_uncommitted(&e, &f).expect("write");
        store
            .tree
            .insert(keys::event(&e.key()), nonce.as_bytes())
            .expect("marker");
        store.flush_sync().expect("flush");
    }
    let store = SledStore::open(&dir).expect("reopen");
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
        let store = SledStore::open(&dir).expect("open");
        let (nonce, intent) = store.write_uncommitted(&e, &winner).expect("write");
        store.write_uncommitted(&e, &loser).expect("write");
        store
            .tree
            .insert(keys::event(&e.key()), nonce.as_bytes())
            .expect("marker");
        store.tree.remove(intent).expect("done");
        store.flush_sync().expect("flush");
    }
    let store = SledStore::open(&dir).expect("reopen");
    assert_eq!(traces(&store, &winner[0].delivery).len(), 5);
    assert_eq!(traces(&store, &loser[0].delivery), Vec::<String>::new());
    assert!(
        store.event(&e.key()).expect("read").is_some(),
        "the body stays"
    );
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}

/// sled records whether a database is compressed and refuses another setting: a new one is,
/// one made without compression (every data directory before it) opens as it was.
#[test]
fn new_databases_are_compressed_and_older_ones_open_as_they_were() {
    let conf = |dir: &std::path::Path| std::fs::read(dir.join("db/conf")).expect("conf");
    let says = |conf: &[u8], on: bool| {
        String::from_utf8_lossy(conf).contains(&format!("use_compression: {on}"))
    };

    let fresh = temp_dir("compressed");
    let e = event();
    {
        let store = SledStore::open(&fresh).expect("open");
        let (nonce, _) = store
            .write_uncommitted(&e, &fanout(&e, &["sub_a"]))
            .expect("write");
        store
            .tree
            .insert(keys::event(&e.key()), nonce.as_bytes())
            .expect("marker");
        store.flush_sync().expect("flush");
    }
    assert!(says(&conf(&fresh), true));
    let store = SledStore::open(&fresh).expect("reopen");
    assert!(store.event(&e.key()).expect("read").is_some());
    drop(store);

    let older = temp_dir("uncompressed");
    {
        let db = sled::Config::new()
            .path(older.join("db"))
            .use_compression(false)
            .open()
            .expect("older database");
        db.insert(keys::event("x"), &b"1"[..]).expect("write");
        db.flush().expect("flush");
    }
    let store = SledStore::open(&older).expect("opens with its own setting");
    assert!(
        store.event_committed("x").expect("read"),
        "its data is there"
    );
    drop(store);
    assert!(says(&conf(&older), false));
    for dir in [fresh, older] {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Events whose deliveries are still pending stay, and do not use up a retention pass's
/// batch: the finished events behind them go.
#[test]
fn retention_passes_over_pending_events_to_the_finished_ones_behind() {
    let dir = temp_dir("retention");
    let store = SledStore::open(&dir).expect("open");
    let publish = |finish: bool| {
        let mut e = event();
        e.received_ms = 1_000;
        let f = fanout(&e, &["sub_a"]);
        let (nonce, _) = store.write_uncommitted(&e, &f).expect("write");
        store
            .tree
            .insert(keys::event(&e.key()), nonce.as_bytes())
            .expect("marker");
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
