//! Publishing to the embedded engine: an event, its deliveries and their jobs, written as one
//! atomic batch with the event's marker; joining open batches.

use serde::{Deserialize, Serialize};

use super::kv::{Batch, Kv};
use super::{EmbeddedStore, Result, StoreError, decode, encode, keys};
use crate::model::{Delivery, Event};
use crate::store::{Fanout, Published};

/// A publish under way (`i/{nonce}`), written by releases whose publish was several writes:
/// found in a data directory they left, it is finished or undone at open.
#[derive(Serialize, Deserialize)]
struct Intent {
    /// The event's key.
    k: String,
    /// When it was received (its time index entry).
    t: u64,
    /// Each delivery: id, subscription, when its job is due.
    d: Vec<(String, String, Option<u64>)>,
}

/// A job a filling batch moved on its queue: from (if it was queued), to.
type Move = (Option<u64>, u64);

impl EmbeddedStore {
    /// Stores an event with its jobs and returns once they are on disk: per fan-out, a new
    /// pending delivery — or, for a batching subscription with an open batch that has room,
    /// the event joins that batch (due at once when it is full). An existing id writes
    /// nothing.
    ///
    /// The new jobs reach the in-memory queues (and so the scheduler) only once they are
    /// durable: nothing is delivered that a power cut could take back (invariant 1).
    pub(super) async fn publish(&self, event: &Event, fanout: &[Fanout]) -> Result<Published> {
        let event_key = keys::event(&event.key());
        let Some(stored) = self.write_publish(event, &event_key, fanout)? else {
            return self.existing(event, &event_key).await;
        };
        self.durable().await?;
        for (d, joined) in &stored {
            match joined {
                None => self.queue(d),
                Some(None) => {}
                Some(Some((from, to))) => {
                    if let Some(from) = from {
                        self.queues.remove(&d.subscription_id, *from, &d.id);
                    }
                    self.queues.add(&d.subscription_id, *to, &d.id);
                }
            }
        }
        Ok(Published::New(stored.into_iter().map(|(d, _)| d).collect()))
    }

    /// The publish's batch, under the exclusive lock (the marker's absence and an open
    /// batch's contents are read and written at once). Each delivery comes with what its
    /// job did: new (`None`), stayed in a joined batch (`Some(None)`) or moved. `None` when
    /// the event exists.
    #[allow(clippy::type_complexity)]
    pub(super) fn write_publish(
        &self,
        event: &Event,
        event_key: &[u8],
        fanout: &[Fanout],
    ) -> Result<Option<Vec<(Delivery, Option<Option<Move>>)>>> {
        let stored_as = event.key();
        let _exclusive = Kv::exclusive();
        if self.tree.contains_key(event_key)? {
            return Ok(None);
        }
        let mut batch = self.kv.batch();
        batch.insert(&self.events, stored_as.as_bytes(), encode(event));
        batch.insert(
            &self.tree,
            keys::event_time(event.received_ms, &stored_as),
            b"",
        );
        let mut stored = Vec::with_capacity(fanout.len());
        for f in fanout {
            let d = &f.delivery;
            let joined = match f.max_events {
                Some(max) => self.join_open_batch(&mut batch, event, &d.subscription_id, max, d)?,
                None => None,
            };
            if let Some((batch_delivery, moved)) = joined {
                stored.push((batch_delivery, Some(moved)));
                continue;
            }
            self.put_delivery(&mut batch, d);
            if f.max_events.is_some_and(|max| max > 1) {
                batch.insert(&self.tree, keys::open_batch(&d.subscription_id), &d.id);
            }
            stored.push((d.clone(), None));
        }
        batch.insert(&self.tree, event_key, b"");
        batch.commit()?;
        Ok(Some(stored))
    }

    /// Adds the event to the subscription's open batch if it has room, and returns the batch
    /// as it now is, with the move of its job if it is now full; `None` when there is no
    /// open batch to join (a new one must be made). The caller holds the exclusive lock.
    fn join_open_batch(
        &self,
        batch: &mut Batch,
        event: &Event,
        sub_id: &str,
        max_events: u32,
        fresh: &Delivery,
    ) -> Result<Option<(Delivery, Option<Move>)>> {
        let open_key = keys::open_batch(sub_id);
        let Some(open) = self.tree.get(&open_key)? else {
            return Ok(None);
        };
        let stored = self.delivery(&String::from_utf8_lossy(&open))?;
        let Some(mut joined) = stored.filter(|d| d.takes_events(max_events)) else {
            batch.remove(&self.tree, open_key);
            return Ok(None);
        };
        let full = joined.join(event, fresh.created_ms, max_events);
        let mut moved = None;
        if full {
            batch.remove(&self.tree, open_key);
            if let Some(t) = joined.next_attempt_ms {
                batch.remove(&self.tree, keys::due(sub_id, t, &joined.id));
            }
            moved = Some((joined.next_attempt_ms, fresh.created_ms));
            joined.next_attempt_ms = Some(fresh.created_ms);
            batch.insert(
                &self.tree,
                keys::due(sub_id, fresh.created_ms, &joined.id),
                b"",
            );
        }
        batch.insert(&self.tree, keys::delivery(&joined.id), encode(&joined));
        batch.insert(
            &self.tree,
            keys::event_delivery(&event.key(), &joined.id),
            b"",
        );
        Ok(Some((joined, moved)))
    }

    /// Finishes the publishes of an earlier release that a crash cut short, before the
    /// queues are loaded: an intent whose marker holds its nonce committed (only the intent
    /// goes); any other is undone — its deliveries, their indexes and jobs, and, when no
    /// publish of the id committed, the event's body and time entry. Returns how many were
    /// undone.
    pub(super) fn finish_cut_publishes(&self) -> Result<usize> {
        let mut undone = 0;
        for kv in self.tree.scan_prefix(keys::INTENTS) {
            let (k, v) = kv?;
            let nonce = keys::suffix_id(&k, keys::INTENTS).unwrap_or_default();
            let mut batch = self.kv.batch();
            batch.remove(&self.tree, &k);
            let intent: Intent = match decode(&k, &v) {
                Ok(i) => i,
                Err(e) => {
                    tracing::warn!(error = %e, "removing an unreadable publish intent");
                    batch.commit()?;
                    continue;
                }
            };
            let marker = self.tree.get(keys::event(&intent.k))?;
            if marker.as_deref() != Some(nonce.as_bytes()) {
                for (id, sub, due) in &intent.d {
                    self.remove_delivery_keys(
                        &mut batch,
                        id,
                        sub,
                        *due,
                        std::slice::from_ref(&intent.k),
                    );
                }
                if marker.is_none() {
                    batch.remove(&self.tree, keys::event_time(intent.t, &intent.k));
                    batch.remove(&self.events, intent.k.as_bytes());
                }
                undone += 1;
            }
            batch.commit()?;
        }
        Ok(undone)
    }

    /// A new delivery with its indexes and its job.
    fn put_delivery(&self, batch: &mut Batch, d: &Delivery) {
        batch.insert(&self.tree, keys::delivery(&d.id), encode(d));
        for key in d.event_keys() {
            batch.insert(&self.tree, keys::event_delivery(&key, &d.id), b"");
        }
        batch.insert(
            &self.tree,
            keys::sub_delivery(&d.subscription_id, &d.id),
            b"",
        );
        batch.insert(
            &self.tree,
            keys::sub_status(&d.subscription_id, d.status, &d.id),
            b"",
        );
        if let Some(t) = d.queued_at() {
            batch.insert(&self.tree, keys::due(&d.subscription_id, t, &d.id), b"");
        }
    }

    /// Puts a stored delivery's job, if it has one, on the in-memory queue.
    fn queue(&self, d: &Delivery) {
        if let Some(t) = d.queued_at() {
            self.queues.add(&d.subscription_id, t, &d.id);
        }
    }

    /// Removes a delivery with its indexes and its job.
    pub(super) fn forget_delivery(&self, d: &Delivery) -> Result<()> {
        if let Some(t) = d.next_attempt_ms {
            self.queues.remove(&d.subscription_id, t, &d.id);
        }
        let mut batch = self.kv.batch();
        self.remove_delivery_keys(
            &mut batch,
            &d.id,
            &d.subscription_id,
            d.next_attempt_ms,
            &d.event_keys(),
        );
        batch.commit()
    }

    /// Removes a delivery's keys: its job (queued at `due`), its indexes (under every
    /// status) and the delivery itself.
    fn remove_delivery_keys(
        &self,
        batch: &mut Batch,
        id: &str,
        sub: &str,
        due: Option<u64>,
        event_keys: &[String],
    ) {
        if let Some(t) = due {
            batch.remove(&self.tree, keys::due(sub, t, id));
        }
        batch.remove(&self.tree, keys::sub_delivery(sub, id));
        for status in keys::STATUSES {
            batch.remove(&self.tree, keys::sub_status(sub, status, id));
        }
        for key in event_keys {
            batch.remove(&self.tree, keys::event_delivery(key, id));
        }
        batch.remove(&self.tree, keys::delivery(id));
    }

    /// Whether an event's marker is committed (its jobs are real, not a crashed publish's).
    /// `key` is the event's key ([`crate::model::event_key`]: workspace and id).
    pub(super) fn event_committed(&self, key: &str) -> Result<bool> {
        self.tree.contains_key(keys::event(key))
    }

    /// The stored event of an id that exists, once it is durable.
    async fn existing(&self, event: &Event, event_key: &[u8]) -> Result<Published> {
        let stored = self
            .event(&event.key())?
            .ok_or_else(|| StoreError::Corrupt {
                key: String::from_utf8_lossy(event_key).into_owned(),
                detail: "event marker without its body".into(),
            })?;
        // It may have been written by a publisher still waiting for its flush: answer only
        // once it is durable too.
        self.durable().await?;
        Ok(Published::Existing(Box::new(stored)))
    }
}
