//! The embedded engine behind the [`Engine`] interface. Its calls are short and in memory
//! or on the keyspace's caches, so they run on the caller's task; only waiting for a group
//! commit yields.

use async_trait::async_trait;

use super::{EmbeddedStore, keys};
use crate::model::{
    Attempt, CatalogEntry, Delivery, Event, PluginRecord, Subscription, TokenRecord, Workspace,
};
use crate::store::engine::{Change, DeliveryRange, DueJobs, Engine, Keep, Skip};
use crate::store::{Fanout, Published, Purged, Result, StoreError};

#[async_trait]
impl Engine for EmbeddedStore {
    fn name(&self) -> &'static str {
        "embedded"
    }

    async fn workspace(&self, id: &str) -> Result<Option<Workspace>> {
        EmbeddedStore::workspace(self, id)
    }
    async fn workspaces(&self) -> Result<Vec<Workspace>> {
        EmbeddedStore::workspaces(self)
    }
    async fn put_workspace(&self, ws: &Workspace) -> Result<()> {
        EmbeddedStore::put_workspace(self, ws)
    }
    async fn create_workspace(&self, ws: &Workspace) -> Result<bool> {
        EmbeddedStore::create_workspace(self, ws)
    }
    async fn delete_workspace(&self, id: &str) -> Result<bool> {
        EmbeddedStore::delete_workspace(self, id)
    }

    async fn put_token(&self, record: &TokenRecord) -> Result<()> {
        EmbeddedStore::put_token(self, record)
    }
    async fn token_by_hash(&self, hash: &str) -> Result<Option<TokenRecord>> {
        EmbeddedStore::token_by_hash(self, hash)
    }
    async fn tokens(&self) -> Result<Vec<TokenRecord>> {
        EmbeddedStore::tokens(self)
    }
    async fn delete_token(&self, id: &str) -> Result<bool> {
        EmbeddedStore::delete_token(self, id)
    }
    async fn touch_token(&self, hash: &str, now_ms: u64) -> Result<()> {
        EmbeddedStore::touch_token(self, hash, now_ms)
    }

    async fn put_plugin(&self, record: &PluginRecord, wasm: &[u8]) -> Result<PluginRecord> {
        EmbeddedStore::put_plugin(self, record, wasm)
    }
    async fn plugin(&self, id: &str) -> Result<Option<PluginRecord>> {
        self.get(&keys::plugin(id))
    }
    async fn plugin_wasm(&self, id: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.wasm.get(id)?)
    }
    async fn plugins(&self) -> Result<Vec<PluginRecord>> {
        self.scan(b"p/")
    }
    async fn plugin_in(&self, ws: &str, id: &str) -> Result<Option<PluginRecord>> {
        EmbeddedStore::plugin_in(self, ws, id)
    }
    async fn plugins_in(&self, ws: &str) -> Result<Vec<PluginRecord>> {
        EmbeddedStore::plugins_in(self, ws)
    }
    async fn put_plugin_ref(&self, ws: &str, record: &PluginRecord) -> Result<()> {
        EmbeddedStore::put_plugin_ref(self, ws, record)
    }
    async fn delete_plugin_ref(&self, ws: &str, id: &str) -> Result<bool> {
        EmbeddedStore::delete_plugin_ref(self, ws, id)
    }

    async fn put_sealed_subscription(&self, sub: &Subscription) -> Result<()> {
        EmbeddedStore::put_subscription(self, sub)
    }
    async fn sealed_subscription(&self, id: &str) -> Result<Option<Subscription>> {
        self.get(&keys::subscription(id))
    }
    async fn sealed_subscriptions(&self) -> Result<Vec<Subscription>> {
        self.scan(b"s/")
    }
    async fn swap_sealed_subscription(&self, sub: &Subscription, etag: &str) -> Result<bool> {
        EmbeddedStore::swap_subscription(self, sub, etag)
    }
    async fn subscription_ids_in(&self, ws: &str) -> Result<Vec<String>> {
        EmbeddedStore::subscription_ids_in(self, ws)
    }
    async fn delete_subscription(&self, ws: &str, id: &str) -> Result<bool> {
        EmbeddedStore::delete_subscription(self, ws, id)
    }

    async fn put_catalog_entry(&self, entry: &CatalogEntry) -> Result<()> {
        EmbeddedStore::put_catalog_entry(self, entry)
    }
    async fn catalog_entry(&self, ws: Option<&str>, name: &str) -> Result<Option<CatalogEntry>> {
        EmbeddedStore::catalog_entry(self, ws, name)
    }
    async fn catalog_of(&self, ws: Option<&str>) -> Result<Vec<CatalogEntry>> {
        EmbeddedStore::catalog_of(self, ws)
    }
    async fn delete_catalog_entry(&self, ws: Option<&str>, name: &str) -> Result<bool> {
        EmbeddedStore::delete_catalog_entry(self, ws, name)
    }
    async fn delete_catalog_of(&self, ws: &str) -> Result<()> {
        EmbeddedStore::delete_catalog_of(self, ws)
    }

    async fn publish(&self, event: &Event, fanout: &[Fanout]) -> Result<Published> {
        EmbeddedStore::publish(self, event, fanout).await
    }
    async fn event_committed(&self, key: &str) -> Result<bool> {
        EmbeddedStore::event_committed(self, key)
    }
    async fn event(&self, key: &str) -> Result<Option<Event>> {
        EmbeddedStore::event(self, key)
    }
    async fn events_before(
        &self,
        before: (u64, &str),
        limit: usize,
        scan: usize,
        keep: Keep<'_>,
    ) -> Result<Vec<Event>> {
        EmbeddedStore::events_before(self, before, limit, scan, keep)
    }
    async fn delivery(&self, id: &str) -> Result<Option<Delivery>> {
        EmbeddedStore::delivery(self, id)
    }
    async fn deliveries_of_event(&self, key: &str) -> Result<Vec<Delivery>> {
        EmbeddedStore::deliveries_of_event(self, key)
    }
    async fn deliveries_of_subscription(
        &self,
        sub_id: &str,
        range: DeliveryRange<'_>,
        limit: usize,
    ) -> Result<Vec<Delivery>> {
        EmbeddedStore::deliveries_of_subscription(self, sub_id, range, limit)
    }
    async fn attempts(&self, delivery_id: &str) -> Result<Vec<Attempt>> {
        EmbeddedStore::attempts(self, delivery_id)
    }

    /// One process holds the database: its in-process claims are the lease.
    async fn due(
        &self,
        sub_id: &str,
        now_ms: u64,
        limit: usize,
        _lease_ms: u64,
        skip: Skip<'_>,
    ) -> Result<DueJobs> {
        Ok(EmbeddedStore::due(self, sub_id, now_ms, limit, skip))
    }
    async fn ready_subscriptions(&self, _now_ms: u64) -> Result<Option<Vec<String>>> {
        Ok(None)
    }
    async fn release(&self, _sub_id: &str, _delivery_ids: &[String]) -> Result<()> {
        Ok(())
    }
    async fn finish_attempt(
        &self,
        attempt: Option<&Attempt>,
        delivery: &Delivery,
        ran_due_ms: &[u64],
    ) -> Result<()> {
        EmbeddedStore::finish_attempt(self, attempt, delivery, ran_due_ms)
    }
    async fn forget_job(&self, sub_id: &str, due_ms: u64, delivery_id: &str) -> Result<()> {
        EmbeddedStore::forget_job(self, sub_id, due_ms, delivery_id)
    }
    async fn forget_delivery(&self, d: &Delivery) -> Result<()> {
        EmbeddedStore::forget_delivery(self, d)
    }
    async fn close_batch(&self, sub_id: &str, delivery_id: &str) -> Result<()> {
        EmbeddedStore::close_batch(self, sub_id, delivery_id)
    }
    async fn fail_queue(&self, sub_id: &str, reason: &str, now_ms: u64) -> Result<usize> {
        EmbeddedStore::fail_queue(self, sub_id, reason, now_ms)
    }
    async fn requeue_leases(&self, requeue_ms: u64) -> Result<usize> {
        EmbeddedStore::requeue_leases(self, requeue_ms)
    }
    async fn swap_snapshot(
        &self,
        key: &str,
        object: Option<&[u8]>,
        now_ms: u64,
    ) -> Result<Option<Vec<u8>>> {
        EmbeddedStore::swap_snapshot(self, key, object, now_ms)
    }
    async fn delete_snapshots_with_prefix(&self, prefix: &str) -> Result<usize> {
        EmbeddedStore::delete_snapshots_with_prefix(self, prefix)
    }
    async fn purge_snapshots_before(&self, cutoff_ms: u64) -> Result<usize> {
        EmbeddedStore::purge_snapshots_before(self, cutoff_ms)
    }
    async fn purge_before(
        &self,
        cutoff_ms: u64,
        max_events: usize,
        claimed: Skip<'_>,
    ) -> Result<Purged> {
        EmbeddedStore::purge_before(self, cutoff_ms, max_events, claimed)
    }

    async fn check(&self) -> Result<()> {
        self.commit.last_flush().map_err(StoreError::Flush)
    }
    async fn flush(&self) -> Result<()> {
        self.durable().await
    }
    fn flush_stats(&self) -> (u64, u64, u64) {
        self.commit.stats()
    }
    async fn queue_depths(&self) -> Result<Vec<(String, u64, u64)>> {
        Ok(self.queues.depths())
    }
    fn changes(&self) -> Option<tokio::sync::broadcast::Receiver<Change>> {
        None
    }
    async fn close(&self) {
        self.commit.stop();
    }
}
