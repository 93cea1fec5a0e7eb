//! The embedded engine's jobs: due ones from the in-memory queues, recording attempts,
//! failing a queue, and retention.

use super::{DueJobs, Result, SledStore, encode, keys};
use crate::model::{Attempt, Delivery, DeliveryStatus};
use crate::store::Purged;
use crate::store::engine::Skip;

impl SledStore {
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
    /// takes no more events, so retries resend the same ones. A single-key swap, atomic with
    /// respect to publishing, which reads the same key in its transaction.
    pub(super) fn close_batch(&self, sub_id: &str, delivery_id: &str) -> Result<()> {
        // Losing the swap means the batch was closed already (or another is open): fine.
        let _swapped = self.tree.compare_and_swap(
            keys::open_batch(sub_id),
            Some(delivery_id.as_bytes()),
            None::<&[u8]>,
        )?;
        Ok(())
    }

    /// Fails every queued job of a subscription (it was deleted). Returns how many.
    pub(super) fn fail_queue(&self, sub_id: &str, reason: &str, now_ms: u64) -> Result<usize> {
        self.tree.remove(keys::open_batch(sub_id))?;
        let prefix = keys::queue(sub_id);
        let mut count = 0;
        for kv in self.tree.scan_prefix(&prefix) {
            let (k, _) = kv?;
            let Some((_, id)) = keys::split_timed(&k, &prefix) else {
                continue;
            };
            // The delivery first: a job left behind by a crash finds it failed and goes.
            if let Some(mut d) = self.delivery(&id)? {
                d.status = DeliveryStatus::Failed;
                d.next_attempt_ms = None;
                d.last_error = Some(reason.to_owned());
                d.updated_ms = now_ms;
                self.put_status(&d)?;
            }
            self.tree.remove(k)?;
            count += 1;
        }
        self.queues.clear(sub_id);
        Ok(count)
    }

    /// Writes a delivery and moves it in the status index: the new entry first, the others
    /// last, so that a crash leaves at worst a stale entry, which readers check against the
    /// delivery. (sled writes nothing for an entry already there or a removal of an absent
    /// one, so this needs no read of the old status.)
    pub(super) fn put_status(&self, d: &Delivery) -> Result<()> {
        let sub = &d.subscription_id;
        self.tree
            .insert(keys::sub_status(sub, d.status, &d.id), &[][..])?;
        self.tree.insert(keys::delivery(&d.id), encode(d))?;
        for other in keys::STATUSES.into_iter().filter(|s| *s != d.status) {
            self.tree.remove(keys::sub_status(sub, other, &d.id))?;
        }
        Ok(())
    }

    /// Records an attempt and the delivery's new state, queues the next attempt if one is
    /// due and takes the job it ran for (queued at `ran_due_ms`) off the queue — in that
    /// order, single-key writes: a crash in between leaves the job queued, to be attempted
    /// again (at-least-once) or, if the delivery is finished, dropped when next taken.
    pub(super) fn finish_attempt(
        &self,
        attempt: Option<&Attempt>,
        delivery: &Delivery,
        ran_due_ms: &[u64],
    ) -> Result<()> {
        if let Some(a) = attempt {
            self.attempts
                .insert(keys::attempt(&a.delivery_id, a.number), encode(a))?;
        }
        let next = delivery.queued_at();
        let sub = &delivery.subscription_id;
        if let Some(t) = next.filter(|t| !ran_due_ms.contains(t)) {
            self.tree.insert(keys::due(sub, t, &delivery.id), &[][..])?;
        }
        self.put_status(delivery)?;
        for t in ran_due_ms.iter().filter(|t| Some(**t) != next) {
            self.tree.remove(keys::due(sub, *t, &delivery.id))?;
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
            self.tree.insert(keys::due(sub, requeue_ms, &id), &[][..])?;
            self.queues.add(sub, requeue_ms, &id);
            self.tree.remove(k)?;
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
            // Single-key removals in an order that a crash can interrupt anywhere: the time
            // entry (which finds the event) goes last, the event's delivery index (which
            // finds its deliveries) after the deliveries, and each delivery after whatever
            // only it points at. The next pass finishes an interrupted one.
            for d in &deliveries {
                for kv in self.attempts.scan_prefix(keys::attempts(&d.id)) {
                    self.attempts.remove(kv?.0)?;
                    purged.attempts += 1;
                }
                self.tree
                    .remove(keys::sub_delivery(&d.subscription_id, &d.id))?;
                for status in keys::STATUSES {
                    self.tree
                        .remove(keys::sub_status(&d.subscription_id, status, &d.id))?;
                }
                for key in d.event_keys() {
                    if key != event_id {
                        self.tree.remove(keys::event_delivery(&key, &d.id))?;
                    }
                }
                self.tree.remove(keys::delivery(&d.id))?;
                purged.deliveries += 1;
            }
            for kv in self.tree.scan_prefix(keys::event_deliveries(&event_id)) {
                self.tree.remove(kv?.0)?;
            }
            self.tree.remove(keys::event(&event_id))?;
            self.events.remove(event_id.as_bytes())?;
            self.tree.remove(time_key)?;
            purged.events += 1;
        }
        Ok(purged)
    }
}
