//! Reading events, deliveries and attempts from the embedded engine, by index.

use super::{EmbeddedStore, Result, get_in, keys, scan_in};
use crate::model::{Attempt, Delivery, Event};
use crate::store::engine::{DeliveryRange, Keep};

impl EmbeddedStore {
    /// The event stored under `key` ([`crate::model::event_key`]: its workspace and id).
    pub(super) fn event(&self, key: &str) -> Result<Option<Event>> {
        get_in(&self.events, key.as_bytes())
    }

    pub(super) fn delivery(&self, id: &str) -> Result<Option<Delivery>> {
        self.get(&keys::delivery(id))
    }

    pub(super) fn deliveries_by_index(&self, prefix: &[u8]) -> Result<Vec<Delivery>> {
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

    /// The deliveries of the event stored under `key` ([`crate::model::event_key`]).
    pub(super) fn deliveries_of_event(&self, key: &str) -> Result<Vec<Delivery>> {
        self.deliveries_by_index(&keys::event_deliveries(key))
    }

    /// Events received before `before` (a time and an event key; newest first) whose key `keep` accepts, up to
    /// `limit`, looking at no more than `scan` of them (a page of a rare kind may come back
    /// short; its last event is the cursor for the next).
    pub(super) fn events_before(
        &self,
        before: (u64, &str),
        limit: usize,
        scan: usize,
        keep: Keep<'_>,
    ) -> Result<Vec<Event>> {
        let start = keys::EVENT_TIME.to_vec();
        let end = keys::event_time(before.0, before.1);
        let mut out = Vec::new();
        for kv in self.tree.range(start..end).rev().take(scan) {
            let (k, _) = kv?;
            let Some((_, key)) = keys::split_timed(&k, keys::EVENT_TIME) else {
                continue;
            };
            if let Some(event) = self.event(&key)?
                && keep(&event)
            {
                out.push(event);
                if out.len() >= limit {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// A page of a subscription's deliveries in `range`, newest first: a reverse scan of the
    /// subscription's index, or of its index by status, between the range's bounds. An index
    /// entry left stale by a crash is checked against its delivery and skipped.
    pub(super) fn deliveries_of_subscription(
        &self,
        sub_id: &str,
        range: DeliveryRange<'_>,
        limit: usize,
    ) -> Result<Vec<Delivery>> {
        if range.status == Some(crate::model::DeliveryStatus::Pending) {
            return self.pending_of_subscription(sub_id, range, limit);
        }
        let prefix = match range.status {
            Some(status) => keys::sub_statuses(sub_id, status),
            None => keys::sub_deliveries(sub_id),
        };
        let start = [prefix.as_slice(), range.from.unwrap_or_default().as_bytes()].concat();
        let end = match range.before {
            Some(id) => [prefix.as_slice(), id.as_bytes()].concat(),
            None => keys::prefix_end(&prefix),
        };
        let mut out = Vec::new();
        if start >= end {
            return Ok(out);
        }
        for kv in self.tree.range(start..end).rev() {
            let (k, _) = kv?;
            let Some(id) = keys::suffix_id(&k, &prefix) else {
                continue;
            };
            let Some(d) = self.delivery(&id)? else {
                continue;
            };
            if range.status.is_none_or(|s| s == d.status) {
                out.push(d);
                if out.len() >= limit {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// A page of a subscription's pending deliveries: every one has a queued job, so they
    /// come from the in-memory queue. (The tree's pending range holds a tombstone for every
    /// delivery that ever left it, until compaction drops them: a million of them made an
    /// empty page take half a second.)
    fn pending_of_subscription(
        &self,
        sub_id: &str,
        range: DeliveryRange<'_>,
        limit: usize,
    ) -> Result<Vec<Delivery>> {
        let mut out = Vec::new();
        let ids = self
            .queues
            .queued_ids(sub_id, range.from, range.before, usize::MAX);
        for id in ids {
            if let Some(d) = self.delivery(&id)?
                && d.status == crate::model::DeliveryStatus::Pending
            {
                out.push(d);
                if out.len() >= limit {
                    break;
                }
            }
        }
        Ok(out)
    }

    pub(super) fn attempts(&self, delivery_id: &str) -> Result<Vec<Attempt>> {
        scan_in(&self.attempts, &keys::attempts(delivery_id))
    }
}
