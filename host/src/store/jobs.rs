//! Events, deliveries, the job queue, attempts and retention.

use sled::transaction::{ConflictableTransactionError, TransactionError};

use super::{Result, Store, StoreError, decode, encode, keys};
use crate::model::{Attempt, Delivery, DeliveryStatus, Event};

/// The keys and value one delivery writes at publish time, and its queue entry if pending.
type Row = ([Vec<u8>; 4], Option<Vec<u8>>);

/// A subscription's due jobs (due time, delivery id) and when the next later one is due.
pub type DueJobs = (Vec<(u64, String)>, Option<u64>);

/// What publishing did.
#[derive(Debug)]
pub enum Published {
    /// The event and its jobs are stored and on disk.
    New,
    /// An event with this id existed; nothing was written.
    Existing(Box<Event>),
}

/// What a retention pass removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub events: u64,
    pub deliveries: u64,
    pub attempts: u64,
}

impl Store {
    /// Stores an event with one pending delivery (and due job) per matching subscription, in
    /// one transaction, and returns once it is on disk. An existing id writes nothing.
    pub async fn publish(&self, event: &Event, deliveries: &[Delivery]) -> Result<Published> {
        let event_key = keys::event(&event.id);
        // The body first, outside the transaction: until the marker below commits, a body
        // without a marker is invisible, and a retried publish simply overwrites it.
        if !self.tree.contains_key(&event_key)? {
            self.events.insert(event.id.as_bytes(), encode(event))?;
        }
        let rows: Vec<Row> = deliveries
            .iter()
            .map(|d| {
                let due = match (d.status, d.next_attempt_ms) {
                    (DeliveryStatus::Pending, Some(t)) => {
                        Some(keys::due(&d.subscription_id, t, &d.id))
                    }
                    _ => None,
                };
                let rows = [
                    keys::delivery(&d.id),
                    encode(d),
                    keys::event_delivery(&event.id, &d.id),
                    keys::sub_delivery(&d.subscription_id, &d.id),
                ];
                (rows, due)
            })
            .collect();
        let time_key = keys::event_time(event.received_ms, &event.id);
        let outcome = self.tree.transaction(|tx| {
            if let Some(existing) = tx.get(&event_key)? {
                return Err(ConflictableTransactionError::Abort(existing));
            }
            tx.insert(event_key.as_slice(), &[][..])?;
            tx.insert(time_key.as_slice(), &[][..])?;
            for ([dkey, dval, ed, sd], due) in &rows {
                tx.insert(dkey.as_slice(), dval.as_slice())?;
                tx.insert(ed.as_slice(), &[][..])?;
                tx.insert(sd.as_slice(), &[][..])?;
                if let Some(due) = due {
                    tx.insert(due.as_slice(), &[][..])?;
                }
            }
            Ok(())
        });
        match outcome {
            Ok(()) => {
                self.flush().await?;
                Ok(Published::New)
            }
            Err(TransactionError::Abort(_)) => {
                let event = self.event(&event.id)?.ok_or_else(|| StoreError::Corrupt {
                    key: String::from_utf8_lossy(&event_key).into_owned(),
                    detail: "event marker without its body".into(),
                })?;
                // It may have been written by a publisher still waiting for its flush: answer
                // only once it is durable too.
                self.flush().await?;
                Ok(Published::Existing(Box::new(event)))
            }
            Err(TransactionError::Storage(e)) => Err(StoreError::Sled(e)),
        }
    }

    pub fn event(&self, id: &str) -> Result<Option<Event>> {
        match self.events.get(id.as_bytes())? {
            Some(bytes) => decode(id.as_bytes(), &bytes).map(Some),
            None => Ok(None),
        }
    }

    pub fn delivery(&self, id: &str) -> Result<Option<Delivery>> {
        self.get(&keys::delivery(id))
    }

    fn deliveries_by_index(&self, prefix: &[u8]) -> Result<Vec<Delivery>> {
        let mut out = Vec::new();
        for kv in self.tree.scan_prefix(prefix) {
            let (k, _) = kv?;
            if let Some(id) = keys::suffix_id(&k, prefix)
                && let Some(d) = self.delivery(&id)?
            {
                out.push(d);
            }
        }
        Ok(out)
    }

    pub fn deliveries_of_event(&self, event_id: &str) -> Result<Vec<Delivery>> {
        self.deliveries_by_index(&keys::event_deliveries(event_id))
    }

    /// A page of a subscription's deliveries, newest first, optionally of one status, starting
    /// after the delivery id `before` (exclusive).
    pub fn deliveries_of_subscription(
        &self,
        sub_id: &str,
        status: Option<DeliveryStatus>,
        before: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Delivery>> {
        let prefix = keys::sub_deliveries(sub_id);
        let end = match before {
            Some(id) => keys::sub_delivery(sub_id, id),
            None => keys::prefix_end(&prefix),
        };
        let mut out = Vec::new();
        for kv in self.tree.range(prefix.clone()..end).rev() {
            let (k, _) = kv?;
            let Some(id) = keys::suffix_id(&k, &prefix) else {
                continue;
            };
            let Some(d) = self.delivery(&id)? else {
                continue;
            };
            if status.is_none_or(|s| s == d.status) {
                out.push(d);
                if out.len() >= limit {
                    break;
                }
            }
        }
        Ok(out)
    }

    pub fn attempts(&self, delivery_id: &str) -> Result<Vec<Attempt>> {
        self.attempts
            .scan_prefix(keys::attempts(delivery_id))
            .map(|kv| {
                let (k, v) = kv?;
                decode(&k, &v)
            })
            .collect()
    }

    /// A subscription's jobs due at or before `now_ms`, oldest first, and the time the next
    /// later one is due.
    pub fn due(&self, sub_id: &str, now_ms: u64, limit: usize) -> Result<DueJobs> {
        let prefix = keys::queue(sub_id);
        let mut out = Vec::new();
        for kv in self.tree.scan_prefix(&prefix) {
            let (k, _) = kv?;
            let Some((due, id)) = keys::split_timed(&k, &prefix) else {
                continue;
            };
            if due > now_ms {
                return Ok((out, Some(due)));
            }
            if out.len() >= limit {
                return Ok((out, Some(due)));
            }
            out.push((due, id));
        }
        Ok((out, None))
    }

    /// Takes a due job: removes it from the queue and holds a lease until `lease_until_ms`.
    /// False when someone else took it.
    pub fn claim(
        &self,
        sub_id: &str,
        due_ms: u64,
        delivery_id: &str,
        lease_until_ms: u64,
    ) -> Result<bool> {
        let due = keys::due(sub_id, due_ms, delivery_id);
        self.take_lease(delivery_id, sub_id, Some(due), lease_until_ms, true)
    }

    /// Takes a delivery out of the queue for an attempt made now (manual retry): drops its
    /// queued job if any and holds the lease. False when it is being attempted already.
    pub fn claim_now(&self, delivery: &Delivery, lease_until_ms: u64) -> Result<bool> {
        let due = delivery
            .next_attempt_ms
            .filter(|_| delivery.status == DeliveryStatus::Pending)
            .map(|t| keys::due(&delivery.subscription_id, t, &delivery.id));
        self.take_lease(
            &delivery.id,
            &delivery.subscription_id,
            due,
            lease_until_ms,
            false,
        )
    }

    fn take_lease(
        &self,
        delivery_id: &str,
        sub_id: &str,
        due: Option<Vec<u8>>,
        lease_until_ms: u64,
        due_must_exist: bool,
    ) -> Result<bool> {
        let lease = keys::lease(delivery_id);
        let mut value = lease_until_ms.to_be_bytes().to_vec();
        value.extend_from_slice(sub_id.as_bytes());
        let taken = self.tree.transaction(|tx| {
            if tx.get(lease.as_slice())?.is_some() {
                return Ok(false);
            }
            if let Some(due) = &due
                && tx.remove(due.as_slice())?.is_none()
                && due_must_exist
            {
                return Ok(false);
            }
            tx.insert(lease.as_slice(), value.as_slice())?;
            Ok(true)
        });
        taken.map_err(|e: TransactionError<()>| match e {
            TransactionError::Storage(e) => StoreError::Sled(e),
            TransactionError::Abort(()) => StoreError::Flush("aborted claim".into()),
        })
    }

    /// Fails every queued job of a subscription (it was deleted). Returns how many.
    pub fn fail_queue(&self, sub_id: &str, reason: &str, now_ms: u64) -> Result<usize> {
        let prefix = keys::queue(sub_id);
        let mut count = 0;
        for kv in self.tree.scan_prefix(&prefix) {
            let (k, _) = kv?;
            let Some((_, id)) = keys::split_timed(&k, &prefix) else {
                continue;
            };
            let mut batch = sled::Batch::default();
            batch.remove(k);
            if let Some(mut d) = self.delivery(&id)? {
                d.status = DeliveryStatus::Failed;
                d.next_attempt_ms = None;
                d.last_error = Some(reason.to_owned());
                d.updated_ms = now_ms;
                batch.insert(keys::delivery(&id), encode(&d));
            }
            self.tree.apply_batch(batch)?;
            count += 1;
        }
        Ok(count)
    }

    /// Records an attempt and the delivery's new state, releases the lease and queues the
    /// next attempt if one is due — atomically.
    pub fn finish_attempt(&self, attempt: Option<&Attempt>, delivery: &Delivery) -> Result<()> {
        // The record first: the lease is released only once the attempt is recorded.
        if let Some(a) = attempt {
            self.attempts
                .insert(keys::attempt(&a.delivery_id, a.number), encode(a))?;
        }
        let mut batch = sled::Batch::default();
        batch.insert(keys::delivery(&delivery.id), encode(delivery));
        batch.remove(keys::lease(&delivery.id));
        if let (DeliveryStatus::Pending, Some(t)) = (delivery.status, delivery.next_attempt_ms) {
            batch.insert(
                keys::due(&delivery.subscription_id, t, &delivery.id),
                &[][..],
            );
        }
        self.tree.apply_batch(batch)?;
        Ok(())
    }

    /// Leases that expired before `now_ms` (all leases when `now_ms` is `u64::MAX`): their
    /// jobs go back to the queue, due at `requeue_ms`. Returns how many.
    pub fn requeue_leases(&self, now_ms: u64, requeue_ms: u64) -> Result<usize> {
        let mut count = 0;
        for kv in self.tree.scan_prefix(keys::LEASE) {
            let (k, v) = kv?;
            let Some((until, sub)) = v.split_at_checked(8) else {
                continue;
            };
            let until = until.try_into().map(u64::from_be_bytes).unwrap_or(0);
            if until > now_ms {
                continue;
            }
            let (Some(id), Ok(sub)) = (keys::suffix_id(&k, keys::LEASE), std::str::from_utf8(sub))
            else {
                continue;
            };
            let mut batch = sled::Batch::default();
            batch.remove(k);
            batch.insert(keys::due(sub, requeue_ms, &id), &[][..]);
            self.tree.apply_batch(batch)?;
            count += 1;
        }
        Ok(count)
    }

    /// Removes events received before `cutoff_ms` with their deliveries and attempts. Jobs
    /// still queued or leased are left alone (they finish first).
    pub fn purge_before(&self, cutoff_ms: u64, max_events: usize) -> Result<Purged> {
        let mut purged = Purged::default();
        let end = keys::event_time(cutoff_ms, "");
        let old: Vec<(Vec<u8>, String)> = self
            .tree
            .range(keys::EVENT_TIME.to_vec()..end)
            .take(max_events)
            .filter_map(|kv| {
                let (k, _) = kv.ok()?;
                let (_, id) = keys::split_timed(&k, keys::EVENT_TIME)?;
                Some((k.to_vec(), id))
            })
            .collect();
        'events: for (time_key, event_id) in old {
            let deliveries = self.deliveries_of_event(&event_id)?;
            for d in &deliveries {
                if d.status == DeliveryStatus::Pending
                    || self.tree.contains_key(keys::lease(&d.id))?
                {
                    continue 'events;
                }
            }
            let mut batch = sled::Batch::default();
            let mut attempts = sled::Batch::default();
            for d in &deliveries {
                for kv in self.attempts.scan_prefix(keys::attempts(&d.id)) {
                    attempts.remove(kv?.0);
                    purged.attempts += 1;
                }
                batch.remove(keys::delivery(&d.id));
                batch.remove(keys::event_delivery(&event_id, &d.id));
                batch.remove(keys::sub_delivery(&d.subscription_id, &d.id));
                purged.deliveries += 1;
            }
            batch.remove(keys::event(&event_id));
            batch.remove(time_key);
            // Index and marker go first, so nothing ever points at a removed blob.
            self.tree.apply_batch(batch)?;
            self.attempts.apply_batch(attempts)?;
            self.events.remove(event_id.as_bytes())?;
            purged.events += 1;
        }
        Ok(purged)
    }
}
