//! Publishing to the embedded engine: an event, its deliveries and their jobs, committed by
//! the event's marker (a publish a crash cut short is undone at open); joining open batches.

use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};

use serde::{Deserialize, Serialize};

use super::{Result, SledStore, StoreError, decode, encode, keys};
use crate::model::{Delivery, Event};
use crate::store::{Fanout, Published};

type TxResult<T> = std::result::Result<T, ConflictableTransactionError<Option<StoreError>>>;

/// A publish under way (`i/{nonce}`): what it writes besides its marker, so that a publish a
/// crash cut short is undone at open. Short field names: one is written per publish.
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

/// Adds the event to the subscription's open batch if it has room, and returns the batch as
/// it now is, with the move of its job if it is now full; `None` when there is no open batch
/// to join (a new one must be made).
fn join_open_batch(
    tx: &TransactionalTree,
    event: &Event,
    sub_id: &str,
    max_events: u32,
    fresh: &Delivery,
) -> TxResult<Option<(Delivery, Option<Move>)>> {
    let open_key = keys::open_batch(sub_id);
    let Some(open) = tx.get(&open_key)? else {
        return Ok(None);
    };
    let dkey = keys::delivery(&String::from_utf8_lossy(&open));
    let stored = match tx.get(&dkey)? {
        Some(bytes) => Some(
            decode::<Delivery>(&dkey, &bytes)
                .map_err(|e| ConflictableTransactionError::Abort(Some(e)))?,
        ),
        None => None,
    };
    let Some(mut batch) = stored.filter(|d| d.takes_events(max_events)) else {
        tx.remove(open_key)?;
        return Ok(None);
    };
    let full = batch.join(event, fresh.created_ms, max_events);
    let mut moved = None;
    if full {
        tx.remove(open_key)?;
        if let Some(t) = batch.next_attempt_ms {
            tx.remove(keys::due(sub_id, t, &batch.id))?;
        }
        moved = Some((batch.next_attempt_ms, fresh.created_ms));
        batch.next_attempt_ms = Some(fresh.created_ms);
        tx.insert(keys::due(sub_id, fresh.created_ms, &batch.id), &[][..])?;
    }
    tx.insert(dkey, encode(&batch))?;
    tx.insert(keys::event_delivery(&event.key(), &batch.id), &[][..])?;
    Ok(Some((batch, moved)))
}

impl SledStore {
    /// Stores an event with its jobs and returns once they are on disk: per fan-out, a new
    /// pending delivery — or, for a batching subscription with an open batch that has room,
    /// the event joins that batch (due at once when it is full). An existing id writes
    /// nothing (or takes back what a concurrent publish of the same id wrote).
    ///
    /// The new jobs reach the in-memory queues (and so the scheduler) only once the event's
    /// marker has committed them and they are durable.
    pub(super) async fn publish(&self, event: &Event, fanout: &[Fanout]) -> Result<Published> {
        if fanout.iter().any(|f| f.max_events.is_some()) {
            self.publish_joining(event, fanout).await
        } else {
            self.publish_plain(event, fanout).await
        }
    }

    /// Publishing without batches: an intent naming what the publish writes, single-key
    /// writes, then the event's marker by an atomic swap that commits them all (sled
    /// transactions cost several times as much). A crash before the swap leaves an intent
    /// without its marker: [`SledStore::finish_cut_publishes`] undoes it at open.
    async fn publish_plain(&self, event: &Event, fanout: &[Fanout]) -> Result<Published> {
        let stored_as = event.key();
        let event_key = keys::event(&stored_as);
        if self.tree.contains_key(&event_key)? {
            return self.existing(event, &event_key).await;
        }
        let (nonce, intent_key) = self.write_uncommitted(event, fanout)?;
        let swapped =
            self.tree
                .compare_and_swap(&event_key, None::<&[u8]>, Some(nonce.as_bytes()))?;
        if swapped.is_err() {
            // A concurrent publish of the same id won: take our jobs back. (Our time index
            // entry stays; retention handles a second entry of an event.)
            for f in fanout {
                self.forget_delivery(&f.delivery)?;
            }
            self.tree.remove(&intent_key)?;
            return self.existing(event, &event_key).await;
        }
        // Durable before the scheduler may see the jobs: nothing is delivered that a power
        // cut could take back (invariant 1).
        self.durable().await?;
        for f in fanout {
            self.queue(&f.delivery);
        }
        // Done: the intent's removal rides on a later flush (found at open, it is only removed).
        self.tree.remove(&intent_key)?;
        Ok(Published::New(
            fanout.iter().map(|f| f.delivery.clone()).collect(),
        ))
    }

    /// A publish's writes before its marker: the intent, the body, the deliveries with their
    /// indexes and jobs, the time entry. Returns the nonce and the intent's key.
    pub(super) fn write_uncommitted(
        &self,
        event: &Event,
        fanout: &[Fanout],
    ) -> Result<(String, Vec<u8>)> {
        let stored_as = event.key();
        let nonce = crate::model::new_ulid();
        let intent_key = keys::intent(&nonce);
        let intent = Intent {
            k: stored_as.clone(),
            t: event.received_ms,
            d: fanout
                .iter()
                .map(|f| {
                    let d = &f.delivery;
                    (d.id.clone(), d.subscription_id.clone(), d.queued_at())
                })
                .collect(),
        };
        self.tree.insert(&intent_key, encode(&intent))?;
        self.events.insert(stored_as.as_bytes(), encode(event))?;
        for f in fanout {
            self.put_delivery(&f.delivery)?;
        }
        self.tree
            .insert(keys::event_time(event.received_ms, &stored_as), &[][..])?;
        Ok((nonce, intent_key))
    }

    /// Finishes the publishes a crash cut short, before the queues are loaded: an intent
    /// whose marker holds its nonce committed (only the intent goes); any other is undone —
    /// its deliveries, their indexes and jobs, and, when no publish of the id committed, the
    /// event's body and time entry. Returns how many were undone.
    pub(super) fn finish_cut_publishes(&self) -> Result<usize> {
        let mut undone = 0;
        for kv in self.tree.scan_prefix(keys::INTENTS) {
            let (k, v) = kv?;
            let nonce = keys::suffix_id(&k, keys::INTENTS).unwrap_or_default();
            let intent: Intent = match decode(&k, &v) {
                Ok(i) => i,
                Err(e) => {
                    tracing::warn!(error = %e, "removing an unreadable publish intent");
                    self.tree.remove(&k)?;
                    continue;
                }
            };
            let marker = self.tree.get(keys::event(&intent.k))?;
            if marker.as_deref() != Some(nonce.as_bytes()) {
                for (id, sub, due) in &intent.d {
                    self.remove_delivery_keys(id, sub, *due, std::slice::from_ref(&intent.k))?;
                }
                if marker.is_none() {
                    self.tree.remove(keys::event_time(intent.t, &intent.k))?;
                    self.events.remove(intent.k.as_bytes())?;
                }
                undone += 1;
            }
            self.tree.remove(&k)?;
        }
        Ok(undone)
    }

    /// A new delivery with its indexes and its job.
    fn put_delivery(&self, d: &Delivery) -> Result<()> {
        self.tree.insert(keys::delivery(&d.id), encode(d))?;
        for key in d.event_keys() {
            self.tree
                .insert(keys::event_delivery(&key, &d.id), &[][..])?;
        }
        self.tree
            .insert(keys::sub_delivery(&d.subscription_id, &d.id), &[][..])?;
        self.tree.insert(
            keys::sub_status(&d.subscription_id, d.status, &d.id),
            &[][..],
        )?;
        if let Some(t) = d.queued_at() {
            self.tree
                .insert(keys::due(&d.subscription_id, t, &d.id), &[][..])?;
        }
        Ok(())
    }

    /// Puts a stored delivery's job, if it has one, on the in-memory queue.
    fn queue(&self, d: &Delivery) {
        if let Some(t) = d.queued_at() {
            self.queues.add(&d.subscription_id, t, &d.id);
        }
    }

    /// Removes a delivery with its indexes and its job (the job first, so that nothing is
    /// ever queued for a missing delivery).
    pub(super) fn forget_delivery(&self, d: &Delivery) -> Result<()> {
        if let Some(t) = d.next_attempt_ms {
            self.queues.remove(&d.subscription_id, t, &d.id);
        }
        self.remove_delivery_keys(
            &d.id,
            &d.subscription_id,
            d.next_attempt_ms,
            &d.event_keys(),
        )
    }

    /// Removes a delivery's keys: its job (queued at `due`), its indexes (under every status:
    /// removing an absent key writes nothing) and the delivery itself, last.
    fn remove_delivery_keys(
        &self,
        id: &str,
        sub: &str,
        due: Option<u64>,
        event_keys: &[String],
    ) -> Result<()> {
        if let Some(t) = due {
            self.tree.remove(keys::due(sub, t, id))?;
        }
        self.tree.remove(keys::sub_delivery(sub, id))?;
        for status in keys::STATUSES {
            self.tree.remove(keys::sub_status(sub, status, id))?;
        }
        for key in event_keys {
            self.tree.remove(keys::event_delivery(key, id))?;
        }
        self.tree.remove(keys::delivery(id))?;
        Ok(())
    }

    /// Whether an event's marker is committed (its jobs are real, not a crashed publish's).
    /// `key` is the event's key ([`crate::model::event_key`]: workspace and id).
    pub(super) fn event_committed(&self, key: &str) -> Result<bool> {
        Ok(self.tree.contains_key(keys::event(key))?)
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

    /// Publishing with batches, in one transaction: joining an open batch reads and
    /// rewrites it atomically with the event's marker.
    async fn publish_joining(&self, event: &Event, fanout: &[Fanout]) -> Result<Published> {
        let stored_as = event.key();
        let event_key = keys::event(&stored_as);
        // The body first, outside the transaction: until the marker below commits, a body
        // without a marker is invisible, and a retried publish simply overwrites it.
        if !self.tree.contains_key(&event_key)? {
            self.events.insert(stored_as.as_bytes(), encode(event))?;
        }
        let time_key = keys::event_time(event.received_ms, &stored_as);
        let outcome = self.tree.transaction(|tx| {
            if tx.get(&event_key)?.is_some() {
                return Err(ConflictableTransactionError::Abort(None));
            }
            tx.insert(event_key.as_slice(), &[][..])?;
            tx.insert(time_key.as_slice(), &[][..])?;
            // Each delivery with what its job did: stayed (`None`, for a batch joined) or
            // moved; a new delivery's job is new.
            let mut stored = Vec::with_capacity(fanout.len());
            for f in fanout {
                let d = &f.delivery;
                let joined = match f.max_events {
                    Some(max) => join_open_batch(tx, event, &d.subscription_id, max, d)?,
                    None => None,
                };
                if let Some((batch, moved)) = joined {
                    stored.push((batch, Some(moved)));
                    continue;
                }
                tx.insert(keys::delivery(&d.id), encode(d))?;
                tx.insert(keys::event_delivery(&stored_as, &d.id), &[][..])?;
                tx.insert(keys::sub_delivery(&d.subscription_id, &d.id), &[][..])?;
                tx.insert(
                    keys::sub_status(&d.subscription_id, d.status, &d.id),
                    &[][..],
                )?;
                if let Some(t) = d.queued_at() {
                    tx.insert(keys::due(&d.subscription_id, t, &d.id), &[][..])?;
                }
                if f.max_events.is_some_and(|max| max > 1) {
                    tx.insert(keys::open_batch(&d.subscription_id), d.id.as_bytes())?;
                }
                stored.push((d.clone(), None));
            }
            Ok(stored)
        });
        match outcome {
            Ok(stored) => {
                // Durable before the scheduler sees the jobs, as for a plain publish.
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
            Err(TransactionError::Abort(None)) => self.existing(event, &event_key).await,
            Err(TransactionError::Abort(Some(e))) => Err(e),
            Err(TransactionError::Storage(e)) => Err(StoreError::from(e)),
        }
    }
}
