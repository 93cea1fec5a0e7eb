//! Reading events, deliveries and attempts, in SQL: one statement each, by index.

use super::rows::{bodies, body, decode_column};
use super::{PgStore, ms};
use crate::model::{Attempt, Delivery, DeliveryStatus, Event};
use crate::store::Result;
use crate::store::engine::{DeliveryRange, Keep};

impl PgStore {
    pub(super) async fn event(&self, key: &str) -> Result<Option<Event>> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                &c.prepare_cached("SELECT body FROM events WHERE key = $1")
                    .await?,
                &[&key],
            )
            .await?;
        row.map(|r| body(&r, key)).transpose()
    }

    pub(super) async fn events_before(
        &self,
        before: (u64, &str),
        limit: usize,
        scan: usize,
        keep: Keep<'_>,
    ) -> Result<Vec<Event>> {
        let c = self.client().await?;
        let rows = c
            .query(
                &c.prepare_cached(
                    "SELECT body FROM events WHERE (received_ms, key) < ($1, $2)
                 ORDER BY received_ms DESC, key DESC LIMIT $3",
                )
                .await?,
                &[&ms(before.0), &before.1, &(scan as i64)],
            )
            .await?;
        let mut out = Vec::new();
        for row in &rows {
            let event: Event = body(row, "event")?;
            if keep(&event) {
                out.push(event);
                if out.len() >= limit {
                    break;
                }
            }
        }
        Ok(out)
    }

    pub(super) async fn delivery(&self, id: &str) -> Result<Option<Delivery>> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                &c.prepare_cached("SELECT body FROM deliveries WHERE id = $1")
                    .await?,
                &[&id],
            )
            .await?;
        row.map(|r| body(&r, id)).transpose()
    }

    pub(super) async fn deliveries_of_event(&self, key: &str) -> Result<Vec<Delivery>> {
        let c = self.client().await?;
        let rows = c
            .query(
                &c.prepare_cached("SELECT d.body FROM event_deliveries e JOIN deliveries d ON d.id = e.delivery_id
                 WHERE e.event_key = $1 ORDER BY d.id").await?,
                &[&key],
            )
            .await?;
        bodies(&rows, "delivery")
    }

    pub(super) async fn deliveries_of_subscription(
        &self,
        sub_id: &str,
        range: DeliveryRange<'_>,
        limit: usize,
    ) -> Result<Vec<Delivery>> {
        let c = self.client().await?;
        let rows = c
            .query(
                &c.prepare_cached(
                    "SELECT body FROM deliveries WHERE subscription_id = $1
                 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR id < $3)
                 AND ($4::text IS NULL OR id >= $4)
                 ORDER BY id DESC LIMIT $5",
                )
                .await?,
                &[
                    &sub_id,
                    &range.status.map(DeliveryStatus::as_str),
                    &range.before,
                    &range.from,
                    &i64::try_from(limit).unwrap_or(i64::MAX),
                ],
            )
            .await?;
        bodies(&rows, "delivery")
    }

    pub(super) async fn delivery_with_events(
        &self,
        id: &str,
    ) -> Result<Option<(Delivery, Vec<Event>)>> {
        let c = self.client().await?;
        let rows = c
            .query(
                &c.prepare_cached(
                    "SELECT d.body, e.key, e.body FROM deliveries d
                     LEFT JOIN event_deliveries x ON x.delivery_id = d.id
                     LEFT JOIN events e ON e.key = x.event_key
                     WHERE d.id = $1",
                )
                .await?,
                &[&id],
            )
            .await?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let delivery: Delivery = decode_column(first, 0, id)?;
        let mut by_key = std::collections::HashMap::with_capacity(rows.len());
        for row in &rows {
            if let Some(key) = row.get::<_, Option<String>>(1) {
                let event: Event = decode_column(row, 2, &key)?;
                by_key.insert(key, event);
            }
        }
        let events = delivery
            .event_keys()
            .iter()
            .filter_map(|k| by_key.remove(k))
            .collect();
        Ok(Some((delivery, events)))
    }

    pub(super) async fn attempts(&self, delivery_id: &str) -> Result<Vec<Attempt>> {
        let c = self.client().await?;
        let rows = c
            .query(
                &c.prepare_cached(
                    "SELECT body FROM attempts WHERE delivery_id = $1 ORDER BY number",
                )
                .await?,
                &[&delivery_id],
            )
            .await?;
        bodies(&rows, "attempt")
    }
}
