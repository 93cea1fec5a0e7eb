//! The embedded engine's jobs: due ones from the in-memory queues, recording attempts,
//! failing a queue, and retention.

use super::kv::{Batch, Kv};
use super::{DueJobs, EmbeddedStore, Result, encode, keys};
use crate::model::{Attempt, Delivery, DeliveryStatus};
use crate::store::Purged;
use crate::store::engine::Skip;

impl EmbeddedStore {
    /// A subscription's jobs due at or before `now_ms`, oldest first, leaving out those
    /// `claimed` says are being attempted; and the time the next later one is due.
    pub(super) fn due(
        &self,
        sub_id: &str,
        now_ms: u64,
        limit: usize,
        claimed: Skip<'_>,
    ) -> DueJobs {
        self.queues.due(sub_id, now_ms, limit, claimed)
    }

    /// Takes a queued job whose delivery no longer exists off the queue.
    pub(super) fn forget_job(&self, sub_id: &str, due_ms: u64, delivery_id: &str) -> Result<()> {
        self.tree.remove(keys::due(sub_id, due_ms, delivery_id))?;
        self.queues.remove(sub_id, due_ms, delivery_id);
        Ok(())
    }

    /// Closes a subscription's open batch if it is this delivery: once attempted, a batch
    /// takes no more events, so retries resend the same ones. Under the exclusive lock, as
    /// publishing reads and joins it.
    pub(super) fn close_batch(&self, sub_id: &str, delivery_id: &str) -> Result<()> {
        let _exclusive = Kv::exclusive();
        let key = keys::open_batch(sub_id);
        // Another open batch, or none: this one was closed already.
        if self.tree.get(&key)?.as_deref() == Some(delivery_id.as_bytes()) {
            self.tree.remove(key)?;
        }
        Ok(())
    }

    /// Fails every queued job of a subscription (it was deleted). Returns how many.
    pub(super) fn fail_queue(&self, sub_id: &str, reason: &str, now_ms: u64) -> Result<usize> {
        let _exclusive = Kv::exclusive();
        let mut batch = self.kv.batch();
        batch.remove(&self.tree, keys::open_batch(sub_id));
        let prefix = keys::queue(sub_id);
        let mut count = 0;
        for kv in self.tree.scan_prefix(&prefix) {
            let (k, _) = kv?;
            let Some((_, id)) = keys::split_timed(&k, &prefix) else {
                continue;
            };
            if let Some(mut d) = self.delivery(&id)? {
                let was = d.status;
                d.status = DeliveryStatus::Failed;
                d.next_attempt_ms = None;
                d.last_error = Some(reason.to_owned());
                d.updated_ms = now_ms;
                self.put_status(&mut batch, &d, was);
            }
            batch.remove(&self.tree, k);
            count += 1;
        }
        batch.commit()?;
        self.queues.clear(sub_id);
        Ok(count)
    }

    /// Writes a delivery and moves it in the status index, from the status it had (`was`).
    pub(super) fn put_status(&self, batch: &mut Batch, d: &Delivery, was: DeliveryStatus) {
        let sub = &d.subscription_id;
        batch.insert(&self.tree, keys::delivery(&d.id), encode(d));
        if was != d.status {
            batch.remove(&self.tree, keys::sub_status(sub, was, &d.id));
            batch.insert(&self.tree, keys::sub_status(sub, d.status, &d.id), b"");
        }
    }

    /// Records an attempt and the delivery's new state, queues the next attempt if one is
    /// due and takes the job it ran for (queued at `ran_due_ms`) off the queue — one batch,
    /// so a crash leaves all of it or none (then the job is attempted again: at-least-once).
    pub(super) fn finish_attempt(
        &self,
        attempt: Option<&Attempt>,
        delivery: &Delivery,
        ran_due_ms: &[u64],
    ) -> Result<()> {
        // The status it had, to move it in the index (the writers of one delivery take turns:
        // its attempts are one at a time, and a manual retry waits for none).
        let was = self
            .delivery(&delivery.id)?
            .map_or(DeliveryStatus::Pending, |d| d.status);
        let mut batch = self.kv.batch();
        if let Some(a) = attempt {
            batch.insert(
                &self.attempts,
                keys::attempt(&a.delivery_id, a.number),
                encode(a),
            );
        }
        let next = delivery.queued_at();
        let sub = &delivery.subscription_id;
        if let Some(t) = next.filter(|t| !ran_due_ms.contains(t)) {
            batch.insert(&self.tree, keys::due(sub, t, &delivery.id), b"");
        }
        self.put_status(&mut batch, delivery, was);
        for t in ran_due_ms.iter().filter(|t| Some(**t) != next) {
            batch.remove(&self.tree, keys::due(sub, *t, &delivery.id));
        }
        batch.commit()?;
        for t in ran_due_ms.iter().filter(|t| Some(**t) != next) {
            self.queues.remove(sub, *t, &delivery.id);
        }
        if let Some(t) = next {
            self.queues.add(sub, t, &delivery.id);
        }
        Ok(())
    }

    /// Leases left by data directories of earlier versions, which took jobs off the queue
    /// while attempting them: their jobs go back to the queue, due at `requeue_ms`.
    pub(super) fn requeue_leases(&self, requeue_ms: u64) -> Result<usize> {
        let mut count = 0;
        for kv in self.tree.scan_prefix(keys::LEASE) {
            let (k, v) = kv?;
            let Some((_until, sub)) = v.split_at_checked(8) else {
                continue;
            };
            let (Some(id), Ok(sub)) = (keys::suffix_id(&k, keys::LEASE), std::str::from_utf8(sub))
            else {
                continue;
            };
            let mut batch = self.kv.batch();
            batch.insert(&self.tree, keys::due(sub, requeue_ms, &id), b"");
            batch.remove(&self.tree, k);
            batch.commit()?;
            self.queues.add(sub, requeue_ms, &id);
            count += 1;
        }
        Ok(count)
    }

    /// Removes events received before `cutoff_ms` with their deliveries and attempts.
    /// Deliveries still pending or being attempted (`claimed`) are left alone.
    pub(super) fn purge_before(
        &self,
        cutoff_ms: u64,
        max_events: usize,
        claimed: Skip<'_>,
    ) -> Result<Purged> {
        let mut purged = Purged::default();
        let end = keys::event_time(cutoff_ms, "");
        // Events still pending do not count against the batch (else a few thousand of them at
        // the head of the index would stop retention), but the scan is bounded.
        let mut examined = 0;
        let mut old = self.tree.range(keys::EVENT_TIME.to_vec()..end);
        'events: while (purged.events as usize) < max_events && examined < max_events * 4 {
            let Some(kv) = old.next() else { break };
            examined += 1;
            let (k, _) = kv?;
            let Some((_, event_id)) = keys::split_timed(&k, keys::EVENT_TIME) else {
                continue;
            };
            let time_key = k.to_vec();
            let deliveries = self.deliveries_of_event(&event_id)?;
            for d in &deliveries {
                if d.status == DeliveryStatus::Pending || claimed(&d.id) {
                    continue 'events;
                }
            }
            // One batch per event: a crash leaves it whole or gone.
            let mut batch = self.kv.batch();
            for d in &deliveries {
                for key in self.attempts.keys_with_prefix(keys::attempts(&d.id))? {
                    batch.remove(&self.attempts, key);
                    purged.attempts += 1;
                }
                batch.remove(&self.tree, keys::sub_delivery(&d.subscription_id, &d.id));
                batch.remove(
                    &self.tree,
                    keys::sub_status(&d.subscription_id, d.status, &d.id),
                );
                for key in d.event_keys() {
                    if key != event_id {
                        batch.remove(&self.tree, keys::event_delivery(&key, &d.id));
                    }
                }
                batch.remove(&self.tree, keys::delivery(&d.id));
                purged.deliveries += 1;
            }
            for key in self
                .tree
                .keys_with_prefix(keys::event_deliveries(&event_id))?
            {
                batch.remove(&self.tree, key);
            }
            batch.remove(&self.tree, keys::event(&event_id));
            batch.remove(&self.events, event_id.as_bytes());
            batch.remove(&self.tree, time_key);
            batch.commit()?;
            purged.events += 1;
        }
        Ok(purged)
    }
}
