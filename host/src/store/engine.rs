//! The one interface everything above the store talks to, implemented by each engine
//! (embedded sled, PostgreSQL). [`super::Store`] wraps an engine and adds what is the same
//! for all of them: sealing secrets, etag checks, the bootstrap token.
//!
//! # Invariants (checked for every engine by `tests/tests/store_conformance.rs`)
//!
//! 1. **Publish is durable before it returns.** When [`Engine::publish`] returns
//!    [`Published::New`], the event, its deliveries and their jobs survive a crash (kill -9)
//!    of this process or node. A publish that fails or never returns may leave nothing, or
//!    leave the event whole; never a part that is delivered without its event being stored.
//! 2. **An event id is published once per workspace.** A second publish of the same key
//!    writes nothing and answers [`Published::Existing`] with the stored event, durable.
//! 3. **A job leaves its queue only once its attempt is recorded** ([`Engine::finish_attempt`]).
//!    A crash mid-attempt repeats the attempt (at-least-once); it never loses it.
//! 4. **Later writes may be lost on a crash, not torn.** Attempts and rescheduling may ride on
//!    a periodic flush (sled): a crash may repeat an attempt, never corrupt a record.
//! 5. **A claimed job is attempted by one worker at a time.** [`Engine::due`] claims what it
//!    returns for `lease_ms` (PostgreSQL: across nodes, `FOR UPDATE SKIP LOCKED`); a claim
//!    left by a dead worker is taken over once its lease has passed.
//! 6. **Retention removes finished work only**: pending deliveries and claimed ones stay.
//! 7. **Subscriptions reach the engine sealed**: an engine never sees a secret in clear.

use async_trait::async_trait;

use super::{Fanout, Published, Purged, Result};
use crate::model::{
    Attempt, CatalogEntry, Delivery, DeliveryStatus, Event, PluginRecord, Subscription,
    TokenRecord, Workspace,
};

/// A subscription's due jobs (due time, delivery id) and when the next later one is due.
pub type DueJobs = (Vec<(u64, String)>, Option<u64>);

/// A change made through another node, which this node's caches must pick up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A subscription was created, changed or deleted.
    Subscription(String),
    /// A subscription has new jobs.
    Jobs(String),
    /// The notification channel was lost and is back: anything may have changed.
    Resync,
}

/// Leaves out jobs this worker is attempting or may not start yet (ordering).
pub type Skip<'a> = &'a (dyn for<'s> Fn(&'s str) -> bool + Send + Sync);

/// Which of a subscription's deliveries a page holds (newest first). Delivery ids sort by
/// creation time, so a time range is an id range.
#[derive(Debug, Clone, Copy, Default)]
pub struct DeliveryRange<'a> {
    pub status: Option<DeliveryStatus>,
    /// Only ids below this one (a page's cursor, or the end of a time range).
    pub before: Option<&'a str>,
    /// Only ids at or above this one (the start of a time range).
    pub from: Option<&'a str>,
}

impl<'a> DeliveryRange<'a> {
    /// Every delivery of one status (or all).
    pub fn status(status: Option<DeliveryStatus>) -> Self {
        DeliveryRange {
            status,
            ..DeliveryRange::default()
        }
    }
}

/// Picks the events a listing keeps.
pub type Keep<'a> = &'a (dyn for<'e> Fn(&'e Event) -> bool + Send + Sync);

#[async_trait]
pub trait Engine: Send + Sync {
    /// Which engine this is, for logs and metrics.
    fn name(&self) -> &'static str;

    // --- workspaces ---
    async fn workspace(&self, id: &str) -> Result<Option<Workspace>>;
    async fn workspaces(&self) -> Result<Vec<Workspace>>;
    async fn put_workspace(&self, ws: &Workspace) -> Result<()>;
    /// Creates it unless one with its id exists; whether it did.
    async fn create_workspace(&self, ws: &Workspace) -> Result<bool>;
    /// Deletes it with its plugin references (its subscriptions are deleted before).
    async fn delete_workspace(&self, id: &str) -> Result<bool>;

    // --- tokens (stored by the sha256 of the token, never the token) ---
    async fn put_token(&self, record: &TokenRecord) -> Result<()>;
    async fn token_by_hash(&self, hash: &str) -> Result<Option<TokenRecord>>;
    async fn tokens(&self) -> Result<Vec<TokenRecord>>;
    async fn delete_token(&self, id: &str) -> Result<bool>;
    /// Records its last use; may ride on a later flush.
    async fn touch_token(&self, hash: &str, now_ms: u64) -> Result<()>;

    // --- plugins (content-addressed, shared by the workspaces that reference them) ---
    /// Stores a plugin; returns the existing record when this id was stored before.
    async fn put_plugin(&self, record: &PluginRecord, wasm: &[u8]) -> Result<PluginRecord>;
    async fn plugin(&self, id: &str) -> Result<Option<PluginRecord>>;
    async fn plugin_wasm(&self, id: &str) -> Result<Option<Vec<u8>>>;
    async fn plugins(&self) -> Result<Vec<PluginRecord>>;
    async fn plugin_in(&self, ws: &str, id: &str) -> Result<Option<PluginRecord>>;
    async fn plugins_in(&self, ws: &str) -> Result<Vec<PluginRecord>>;
    async fn put_plugin_ref(&self, ws: &str, record: &PluginRecord) -> Result<()>;
    /// Drops a workspace's reference; the plugin itself goes with its last reference.
    async fn delete_plugin_ref(&self, ws: &str, id: &str) -> Result<bool>;

    // --- subscriptions, sealed ---
    async fn put_sealed_subscription(&self, sub: &Subscription) -> Result<()>;
    async fn sealed_subscription(&self, id: &str) -> Result<Option<Subscription>>;
    /// All subscriptions, oldest first.
    async fn sealed_subscriptions(&self) -> Result<Vec<Subscription>>;
    /// Replaces a subscription if its stored etag is still `etag`; whether it did.
    async fn swap_sealed_subscription(&self, sub: &Subscription, etag: &str) -> Result<bool>;
    async fn subscription_ids_in(&self, ws: &str) -> Result<Vec<String>>;
    async fn delete_subscription(&self, ws: &str, id: &str) -> Result<bool>;

    // --- event-type catalog (`None`: the global entries) ---
    async fn put_catalog_entry(&self, entry: &CatalogEntry) -> Result<()>;
    async fn catalog_entry(&self, ws: Option<&str>, name: &str) -> Result<Option<CatalogEntry>>;
    async fn catalog_of(&self, ws: Option<&str>) -> Result<Vec<CatalogEntry>>;
    async fn delete_catalog_entry(&self, ws: Option<&str>, name: &str) -> Result<bool>;
    async fn delete_catalog_of(&self, ws: &str) -> Result<()>;

    // --- events, deliveries and jobs ---
    /// Stores an event with its jobs (see invariants 1 and 2): per fan-out, a new pending
    /// delivery, or for a batching subscription the open batch it joins.
    async fn publish(&self, event: &Event, fanout: &[Fanout]) -> Result<Published>;
    /// Whether an event's publish finished (its jobs are real, not a crashed publish's).
    async fn event_committed(&self, key: &str) -> Result<bool>;
    async fn event(&self, key: &str) -> Result<Option<Event>>;
    /// Events received before `before` (time, key), newest first, that `keep` accepts, up to
    /// `limit`, looking at no more than `scan`.
    async fn events_before(
        &self,
        before: (u64, &str),
        limit: usize,
        scan: usize,
        keep: Keep<'_>,
    ) -> Result<Vec<Event>>;
    async fn delivery(&self, id: &str) -> Result<Option<Delivery>>;
    /// A delivery with the stored events it sends, in its order (purged ones left out): what
    /// an attempt reads. One round trip where the engine can.
    async fn delivery_with_events(&self, id: &str) -> Result<Option<(Delivery, Vec<Event>)>> {
        let Some(d) = self.delivery(id).await? else {
            return Ok(None);
        };
        let mut events = Vec::with_capacity(d.event_ids().len());
        for key in d.event_keys() {
            events.extend(self.event(&key).await?);
        }
        Ok(Some((d, events)))
    }
    async fn deliveries_of_event(&self, key: &str) -> Result<Vec<Delivery>>;
    /// A page of a subscription's deliveries in `range`, newest first: indexed by status, so
    /// a page costs its own size, not the number of deliveries stored.
    async fn deliveries_of_subscription(
        &self,
        sub_id: &str,
        range: DeliveryRange<'_>,
        limit: usize,
    ) -> Result<Vec<Delivery>>;
    async fn attempts(&self, delivery_id: &str) -> Result<Vec<Attempt>>;

    /// Claims up to `limit` of a subscription's jobs due at `now_ms`, oldest first, leaving
    /// out those `skip` names, for `lease_ms`; and when the next later one may be taken.
    async fn due(
        &self,
        sub_id: &str,
        now_ms: u64,
        limit: usize,
        lease_ms: u64,
        skip: Skip<'_>,
    ) -> Result<DueJobs>;
    /// Subscriptions with jobs due at `now_ms` that no one holds, when other nodes may have
    /// made them (retries scheduled by a node, claims of a dead one); `None` when this
    /// process knows every job it has.
    async fn ready_subscriptions(&self, now_ms: u64) -> Result<Option<Vec<String>>>;
    /// Whether [`Engine::due`] itself claims only the oldest pending delivery of each
    /// ordering key (what several nodes need); otherwise the dispatcher keeps each key's
    /// pending deliveries in memory and skips the rest.
    fn claims_key_heads_only(&self) -> bool {
        false
    }
    /// Gives back claims [`Engine::due`] made that will not be attempted now.
    async fn release(&self, sub_id: &str, delivery_ids: &[String]) -> Result<()>;
    /// Records an attempt and the delivery's new state, queues its next attempt if it has
    /// one, and only then takes the job it ran for (queued at `ran_due_ms`) off the queue.
    async fn finish_attempt(
        &self,
        attempt: Option<&Attempt>,
        delivery: &Delivery,
        ran_due_ms: &[u64],
    ) -> Result<()>;
    /// Takes a job whose delivery no longer exists off its queue.
    async fn forget_job(&self, sub_id: &str, due_ms: u64, delivery_id: &str) -> Result<()>;
    /// Removes a delivery with its job (a crashed publish's, never acknowledged).
    async fn forget_delivery(&self, d: &Delivery) -> Result<()>;
    /// Closes the subscription's open batch if it is this delivery.
    async fn close_batch(&self, sub_id: &str, delivery_id: &str) -> Result<()>;
    /// Fails every queued job of a subscription (it was deleted); how many.
    async fn fail_queue(&self, sub_id: &str, reason: &str, now_ms: u64) -> Result<usize>;
    /// Jobs left claimed by an earlier run go back to their queues, due at `requeue_ms`.
    async fn requeue_leases(&self, requeue_ms: u64) -> Result<usize>;
    /// Removes events received before `cutoff_ms` with their deliveries and attempts, at most
    /// `max_events`, leaving any event with a pending or `claimed` delivery.
    async fn purge_before(
        &self,
        cutoff_ms: u64,
        max_events: usize,
        claimed: Skip<'_>,
    ) -> Result<Purged>;

    // --- object snapshots ---
    /// Replaces the object snapshot at `key` with `object` (`None` removes it) and returns the
    /// one it replaced: atomic against other swaps of that key, on every node. Durable with
    /// the next publish's commit.
    async fn swap_snapshot(
        &self,
        key: &str,
        object: Option<&[u8]>,
        now_ms: u64,
    ) -> Result<Option<Vec<u8>>>;
    /// Removes the snapshots last written before `cutoff_ms`; how many.
    async fn purge_snapshots_before(&self, cutoff_ms: u64) -> Result<usize>;
    /// Removes every snapshot whose key starts with `prefix` (a deleted workspace's).
    async fn delete_snapshots_with_prefix(&self, prefix: &str) -> Result<usize>;

    // --- operations ---
    /// Whether the store can take writes now (the database answers; the last flush worked).
    async fn check(&self) -> Result<()>;
    /// Everything written so far is on disk when this returns.
    async fn flush(&self) -> Result<()>;
    /// Flushes so far: how many, their total and longest time (ns).
    fn flush_stats(&self) -> (u64, u64, u64);
    /// Each subscription's queued jobs: (subscription, how many, earliest due ms).
    async fn queue_depths(&self) -> Result<Vec<(String, u64, u64)>>;
    /// Changes made through other nodes; `None` for an engine only one process uses.
    fn changes(&self) -> Option<tokio::sync::broadcast::Receiver<Change>>;
    /// Releases what the engine holds (sled's lock; the pool's connections).
    async fn close(&self);
}
