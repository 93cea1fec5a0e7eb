//! The PostgreSQL engine behind the [`Engine`] interface: each call goes to the file that
//! holds it ([`super::tenancy`], [`super::jobs`]).

use async_trait::async_trait;

use super::{PgStore, unms};
use crate::model::{
    Attempt, CatalogEntry, Delivery, Event, PluginRecord, Subscription, TokenRecord, Workspace,
};
use crate::store::engine::{Change, DeliveryRange, DueJobs, Engine, Keep, Skip};
use crate::store::{Fanout, Published, Purged, Result};

#[async_trait]
impl Engine for PgStore {
    fn name(&self) -> &'static str {
        "postgres"
    }

    fn claims_key_heads_only(&self) -> bool {
        true
    }

    async fn check(&self) -> Result<()> {
        self.ping().await
    }

    /// Every write is its own committed transaction: nothing waits to be flushed.
    async fn flush(&self) -> Result<()> {
        Ok(())
    }

    fn flush_stats(&self) -> (u64, u64, u64) {
        (0, 0, 0)
    }

    async fn queue_depths(&self) -> Result<Vec<(String, u64, u64)>> {
        let c = self.client().await?;
        let rows = c
            .query(
                &c.prepare_cached(
                    "SELECT subscription_id, COUNT(*), MIN(due_ms) FROM deliveries
                 WHERE due_ms IS NOT NULL GROUP BY subscription_id",
                )
                .await?,
                &[],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), unms(r.get(1)), unms(r.get(2))))
            .collect())
    }

    fn changes(&self) -> Option<tokio::sync::broadcast::Receiver<Change>> {
        Some(self.changes.subscribe())
    }

    async fn close(&self) {
        self.listener.abort();
        self.notifier.abort();
        self.pool.close();
        self.lazy.close();
    }

    async fn workspace(&self, id: &str) -> Result<Option<Workspace>> {
        PgStore::workspace(self, id).await
    }
    async fn workspaces(&self) -> Result<Vec<Workspace>> {
        PgStore::workspaces(self).await
    }
    async fn put_workspace(&self, ws: &Workspace) -> Result<()> {
        PgStore::put_workspace(self, ws).await
    }
    async fn create_workspace(&self, ws: &Workspace) -> Result<bool> {
        PgStore::create_workspace(self, ws).await
    }
    async fn delete_workspace(&self, id: &str) -> Result<bool> {
        PgStore::delete_workspace(self, id).await
    }
    async fn put_token(&self, record: &TokenRecord) -> Result<()> {
        PgStore::put_token(self, record).await
    }
    async fn token_by_hash(&self, hash: &str) -> Result<Option<TokenRecord>> {
        PgStore::token_by_hash(self, hash).await
    }
    async fn tokens(&self) -> Result<Vec<TokenRecord>> {
        PgStore::tokens(self).await
    }
    async fn delete_token(&self, id: &str) -> Result<bool> {
        PgStore::delete_token(self, id).await
    }
    async fn touch_token(&self, hash: &str, now_ms: u64) -> Result<()> {
        PgStore::touch_token(self, hash, now_ms).await
    }
    async fn put_plugin(&self, record: &PluginRecord, wasm: &[u8]) -> Result<PluginRecord> {
        PgStore::put_plugin(self, record, wasm).await
    }
    async fn plugin(&self, id: &str) -> Result<Option<PluginRecord>> {
        PgStore::plugin(self, id).await
    }
    async fn plugin_wasm(&self, id: &str) -> Result<Option<Vec<u8>>> {
        PgStore::plugin_wasm(self, id).await
    }
    async fn plugins(&self) -> Result<Vec<PluginRecord>> {
        PgStore::plugins(self).await
    }
    async fn plugin_in(&self, ws: &str, id: &str) -> Result<Option<PluginRecord>> {
        PgStore::plugin_in(self, ws, id).await
    }
    async fn plugins_in(&self, ws: &str) -> Result<Vec<PluginRecord>> {
        PgStore::plugins_in(self, ws).await
    }
    async fn put_plugin_ref(&self, ws: &str, record: &PluginRecord) -> Result<()> {
        PgStore::put_plugin_ref(self, ws, record).await
    }
    async fn delete_plugin_ref(&self, ws: &str, id: &str) -> Result<bool> {
        PgStore::delete_plugin_ref(self, ws, id).await
    }
    async fn put_sealed_subscription(&self, sub: &Subscription) -> Result<()> {
        PgStore::put_sealed_subscription(self, sub).await
    }
    async fn sealed_subscription(&self, id: &str) -> Result<Option<Subscription>> {
        PgStore::sealed_subscription(self, id).await
    }
    async fn sealed_subscriptions(&self) -> Result<Vec<Subscription>> {
        PgStore::sealed_subscriptions(self).await
    }
    async fn swap_sealed_subscription(&self, sub: &Subscription, etag: &str) -> Result<bool> {
        PgStore::swap_sealed_subscription(self, sub, etag).await
    }
    async fn subscription_ids_in(&self, ws: &str) -> Result<Vec<String>> {
        PgStore::subscription_ids_in(self, ws).await
    }
    async fn delete_subscription(&self, ws: &str, id: &str) -> Result<bool> {
        PgStore::delete_subscription(self, ws, id).await
    }
    async fn put_catalog_entry(&self, entry: &CatalogEntry) -> Result<()> {
        PgStore::put_catalog_entry(self, entry).await
    }
    async fn catalog_entry(&self, ws: Option<&str>, name: &str) -> Result<Option<CatalogEntry>> {
        PgStore::catalog_entry(self, ws, name).await
    }
    async fn catalog_of(&self, ws: Option<&str>) -> Result<Vec<CatalogEntry>> {
        PgStore::catalog_of(self, ws).await
    }
    async fn delete_catalog_entry(&self, ws: Option<&str>, name: &str) -> Result<bool> {
        PgStore::delete_catalog_entry(self, ws, name).await
    }
    async fn delete_catalog_of(&self, ws: &str) -> Result<()> {
        PgStore::delete_catalog_of(self, ws).await
    }
    async fn publish(&self, event: &Event, fanout: &[Fanout]) -> Result<Published> {
        PgStore::publish(self, event, fanout).await
    }
    async fn event_committed(&self, _key: &str) -> Result<bool> {
        PgStore::event_committed(self, _key).await
    }
    async fn event(&self, key: &str) -> Result<Option<Event>> {
        PgStore::event(self, key).await
    }
    async fn events_before(
        &self,
        before: (u64, &str),
        limit: usize,
        scan: usize,
        keep: Keep<'_>,
    ) -> Result<Vec<Event>> {
        PgStore::events_before(self, before, limit, scan, keep).await
    }
    async fn delivery(&self, id: &str) -> Result<Option<Delivery>> {
        PgStore::delivery(self, id).await
    }
    async fn delivery_with_events(&self, id: &str) -> Result<Option<(Delivery, Vec<Event>)>> {
        PgStore::delivery_with_events(self, id).await
    }
    async fn deliveries_of_event(&self, key: &str) -> Result<Vec<Delivery>> {
        PgStore::deliveries_of_event(self, key).await
    }
    async fn deliveries_of_subscription(
        &self,
        sub_id: &str,
        range: DeliveryRange<'_>,
        limit: usize,
    ) -> Result<Vec<Delivery>> {
        PgStore::deliveries_of_subscription(self, sub_id, range, limit).await
    }
    async fn attempts(&self, delivery_id: &str) -> Result<Vec<Attempt>> {
        PgStore::attempts(self, delivery_id).await
    }
    async fn due(
        &self,
        sub_id: &str,
        now_ms: u64,
        limit: usize,
        lease_ms: u64,
        skip: Skip<'_>,
    ) -> Result<DueJobs> {
        PgStore::due(self, sub_id, now_ms, limit, lease_ms, skip).await
    }
    async fn ready_subscriptions(&self, now_ms: u64) -> Result<Option<Vec<String>>> {
        PgStore::ready_subscriptions(self, now_ms).await
    }
    async fn release(&self, _sub_id: &str, delivery_ids: &[String]) -> Result<()> {
        PgStore::release(self, _sub_id, delivery_ids).await
    }
    async fn finish_attempt(
        &self,
        attempt: Option<&Attempt>,
        delivery: &Delivery,
        _ran_due_ms: &[u64],
    ) -> Result<()> {
        PgStore::finish_attempt(self, attempt, delivery, _ran_due_ms).await
    }
    async fn forget_job(&self, _sub_id: &str, due_ms: u64, delivery_id: &str) -> Result<()> {
        PgStore::forget_job(self, _sub_id, due_ms, delivery_id).await
    }
    async fn forget_delivery(&self, d: &Delivery) -> Result<()> {
        PgStore::forget_delivery(self, d).await
    }
    async fn close_batch(&self, sub_id: &str, delivery_id: &str) -> Result<()> {
        PgStore::close_batch(self, sub_id, delivery_id).await
    }
    async fn fail_queue(&self, sub_id: &str, reason: &str, now_ms: u64) -> Result<usize> {
        PgStore::fail_queue(self, sub_id, reason, now_ms).await
    }
    async fn requeue_leases(&self, requeue_ms: u64) -> Result<usize> {
        PgStore::requeue_leases(self, requeue_ms).await
    }
    async fn swap_snapshot(
        &self,
        key: &str,
        object: Option<&[u8]>,
        now_ms: u64,
    ) -> Result<Option<Vec<u8>>> {
        PgStore::swap_snapshot(self, key, object, now_ms).await
    }
    async fn delete_snapshots_with_prefix(&self, prefix: &str) -> Result<usize> {
        PgStore::delete_snapshots_with_prefix(self, prefix).await
    }
    async fn purge_snapshots_before(&self, cutoff_ms: u64) -> Result<usize> {
        PgStore::purge_snapshots_before(self, cutoff_ms).await
    }
    async fn purge_before(
        &self,
        cutoff_ms: u64,
        max_events: usize,
        claimed: Skip<'_>,
    ) -> Result<Purged> {
        PgStore::purge_before(self, cutoff_ms, max_events, claimed).await
    }
}
