//! Jobs, in SQL: claiming due ones under a lease (a key's head only), giving claims back,
//! recording attempts, failing a queue, and retention.

use super::rows::{body, delivery_columns};
use super::{PgStore, ms, unms};
use crate::model::{Attempt, Delivery, DeliveryStatus};
use crate::store::engine::{DueJobs, Skip};
use crate::store::{Purged, Result, encode};

/// Rows removed per retention transaction: short enough to hold no lock for long.
const PURGE_BATCH: i64 = 1_000;

impl PgStore {
    pub(super) async fn due(
        &self,
        sub_id: &str,
        now_ms: u64,
        limit: usize,
        lease_ms: u64,
        skip: Skip<'_>,
    ) -> Result<DueJobs> {
        // A lost lease only lets a job run again: it need not wait for the WAL.
        let c = self.lazy_client().await?;
        let now = ms(now_ms);
        // One round trip (the scheduler waits for it): lease the oldest due jobs no one
        // holds, skipping rows another node is leasing right now and deliveries behind an
        // older pending one of their key (wherever it was published, whoever holds it); and,
        // in the same snapshot (which does not see these new leases), when the next later
        // job may be taken. A key's next delivery is woken when its head finishes.
        let rows = c
            .query(
                &c.prepare_cached(
                    "WITH picked AS (
                        SELECT id FROM deliveries d
                        WHERE subscription_id = $1 AND due_ms <= $2
                        AND (lease_until IS NULL OR lease_until <= $2)
                        AND (ordering_key IS NULL OR NOT EXISTS (
                            SELECT 1 FROM deliveries o
                            WHERE o.subscription_id = $1 AND o.ordering_key = d.ordering_key
                            AND o.status = 'pending'
                            AND (COALESCE(o.seq, 0), o.id) < (COALESCE(d.seq, 0), d.id)))
                        ORDER BY due_ms, id LIMIT $3 FOR UPDATE SKIP LOCKED
                     ), leased AS (
                        UPDATE deliveries d SET lease_until = $4, lease_owner = $5
                        FROM picked WHERE d.id = picked.id RETURNING d.due_ms, d.id
                     )
                     SELECT due_ms, id, NULL::int8 FROM leased
                     UNION ALL
                     SELECT NULL, NULL, MIN(GREATEST(due_ms, COALESCE(lease_until, 0)))
                     FROM deliveries WHERE subscription_id = $1 AND due_ms IS NOT NULL
                     AND GREATEST(due_ms, COALESCE(lease_until, 0)) > $2",
                )
                .await?,
                &[
                    &sub_id,
                    &now,
                    &(limit as i64),
                    &ms(now_ms.saturating_add(lease_ms)),
                    &self.node,
                ],
            )
            .await?;
        let mut due = Vec::with_capacity(rows.len());
        let mut skipped = Vec::new();
        let mut later = None;
        for row in &rows {
            match row.get::<_, Option<String>>(1) {
                Some(id) if skip(&id) => skipped.push(id),
                Some(id) => due.push((unms(row.get::<_, i64>(0)), id)),
                None => later = row.get::<_, Option<i64>>(2).map(unms),
            }
        }
        due.sort();
        if !skipped.is_empty() {
            // This worker's own, or behind their key: give them back at once.
            drop(c);
            self.release(sub_id, &skipped).await?;
        }
        Ok((due, later))
    }

    pub(super) async fn ready_subscriptions(&self, now_ms: u64) -> Result<Option<Vec<String>>> {
        let c = self.client().await?;
        let rows = c
            .query(
                &c.prepare_cached(
                    "SELECT DISTINCT subscription_id FROM deliveries WHERE due_ms <= $1
                 AND (lease_until IS NULL OR lease_until <= $1)",
                )
                .await?,
                &[&ms(now_ms)],
            )
            .await?;
        Ok(Some(rows.iter().map(|r| r.get(0)).collect()))
    }

    pub(super) async fn release(&self, _sub_id: &str, delivery_ids: &[String]) -> Result<()> {
        if delivery_ids.is_empty() {
            return Ok(());
        }
        let c = self.lazy_client().await?;
        c.execute(
            &c.prepare_cached(
                "UPDATE deliveries SET lease_until = NULL, lease_owner = NULL
             WHERE id = ANY($1) AND lease_owner = $2",
            )
            .await?,
            &[&delivery_ids, &self.node],
        )
        .await?;
        Ok(())
    }

    pub(super) async fn finish_attempt(
        &self,
        attempt: Option<&Attempt>,
        delivery: &Delivery,
        _ran_due_ms: &[u64],
    ) -> Result<()> {
        // Invariant 4: an attempt's record may be lost in a crash (the job then runs again),
        // so its commit need not wait for the WAL fsync. One statement: one round trip.
        let c = self.lazy_client().await?;
        let (id, _, status, due, bytes) = delivery_columns(delivery);
        let (number, record) = match attempt {
            Some(a) => (Some(a.number as i32), Some(encode(a))),
            None => (None, None),
        };
        c.execute(
            &c.prepare_cached(
                "WITH a AS (
                INSERT INTO attempts (delivery_id, number, body)
                SELECT $1, $5, $6 WHERE $5::int4 IS NOT NULL
                ON CONFLICT (delivery_id, number) DO UPDATE SET body = EXCLUDED.body
             )
             UPDATE deliveries SET status = $2, due_ms = $3, body = $4,
             lease_until = NULL, lease_owner = NULL WHERE id = $1",
            )
            .await?,
            &[&id, &status, &due, &bytes, &number, &record],
        )
        .await?;
        drop(c);
        if delivery.ordering_key.is_some() && delivery.status != DeliveryStatus::Pending {
            // Its key's next delivery may now go, on whichever node looks first.
            let _ = self.woken.try_send(delivery.subscription_id.clone());
        }
        Ok(())
    }

    pub(super) async fn forget_job(
        &self,
        _sub_id: &str,
        due_ms: u64,
        delivery_id: &str,
    ) -> Result<()> {
        let c = self.client().await?;
        c.execute(
            &c.prepare_cached(
                "UPDATE deliveries SET due_ms = NULL, lease_until = NULL, lease_owner = NULL
             WHERE id = $1 AND due_ms = $2",
            )
            .await?,
            &[&delivery_id, &ms(due_ms)],
        )
        .await?;
        Ok(())
    }

    pub(super) async fn forget_delivery(&self, d: &Delivery) -> Result<()> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        tx.execute("DELETE FROM attempts WHERE delivery_id = $1", &[&d.id])
            .await?;
        tx.execute(
            "DELETE FROM event_deliveries WHERE delivery_id = $1",
            &[&d.id],
        )
        .await?;
        tx.execute("DELETE FROM deliveries WHERE id = $1", &[&d.id])
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(super) async fn close_batch(&self, sub_id: &str, delivery_id: &str) -> Result<()> {
        let c = self.client().await?;
        c.execute(
            &c.prepare_cached(
                "DELETE FROM open_batches WHERE subscription_id = $1 AND delivery_id = $2",
            )
            .await?,
            &[&sub_id, &delivery_id],
        )
        .await?;
        Ok(())
    }

    pub(super) async fn fail_queue(
        &self,
        sub_id: &str,
        reason: &str,
        now_ms: u64,
    ) -> Result<usize> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        tx.execute(
            "DELETE FROM open_batches WHERE subscription_id = $1",
            &[&sub_id],
        )
        .await?;
        let rows = tx
            .query(
                "SELECT body FROM deliveries WHERE subscription_id = $1 AND due_ms IS NOT NULL
                 FOR UPDATE",
                &[&sub_id],
            )
            .await?;
        for row in &rows {
            let mut d: Delivery = body(row, sub_id)?;
            d.status = DeliveryStatus::Failed;
            d.next_attempt_ms = None;
            d.last_error = Some(reason.to_owned());
            d.updated_ms = now_ms;
            tx.execute(
                "UPDATE deliveries SET status = $2, due_ms = NULL, lease_until = NULL,
                 lease_owner = NULL, body = $3 WHERE id = $1",
                &[&d.id, &d.status.as_str(), &encode(&d)],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(rows.len())
    }

    pub(super) async fn requeue_leases(&self, requeue_ms: u64) -> Result<usize> {
        let c = self.client().await?;
        let n = c
            .execute(
                &c.prepare_cached(
                    "UPDATE deliveries SET lease_until = NULL, lease_owner = NULL,
                 due_ms = LEAST(due_ms, $2) WHERE lease_owner = $1",
                )
                .await?,
                &[&self.node, &ms(requeue_ms)],
            )
            .await?;
        Ok(n as usize)
    }

    pub(super) async fn purge_before(
        &self,
        cutoff_ms: u64,
        max_events: usize,
        claimed: Skip<'_>,
    ) -> Result<Purged> {
        let mut purged = Purged::default();
        let c = self.client().await?;
        while (purged.events as usize) < max_events {
            let batch = PURGE_BATCH.min((max_events - purged.events as usize) as i64);
            // Events whose deliveries are all finished and unclaimed on any node.
            let rows = c
                .query(
                    &c.prepare_cached(
                        "SELECT e.key, ARRAY(SELECT ed.delivery_id FROM event_deliveries ed
                        WHERE ed.event_key = e.key) FROM events e
                     WHERE e.received_ms < $1 AND NOT EXISTS (
                        SELECT 1 FROM event_deliveries ed JOIN deliveries d ON d.id = ed.delivery_id
                        WHERE ed.event_key = e.key
                        AND (d.status = 'pending' OR d.lease_owner IS NOT NULL))
                     ORDER BY e.received_ms LIMIT $2",
                    )
                    .await?,
                    &[&ms(cutoff_ms), &batch],
                )
                .await?;
            let mut keys = Vec::with_capacity(rows.len());
            let mut deliveries = Vec::new();
            for row in &rows {
                let ids: Vec<String> = row.get(1);
                if ids.iter().any(|id| claimed(id)) {
                    continue;
                }
                keys.push(row.get::<_, String>(0));
                deliveries.extend(ids);
            }
            if !keys.is_empty() {
                let counts = c
                    .query_one(
                        &c.prepare_cached("WITH a AS (DELETE FROM attempts WHERE delivery_id = ANY($2) RETURNING 1),
                         d AS (DELETE FROM deliveries WHERE id = ANY($2) RETURNING 1),
                         ed AS (DELETE FROM event_deliveries
                            WHERE event_key = ANY($1) OR delivery_id = ANY($2) RETURNING 1),
                         e AS (DELETE FROM events WHERE key = ANY($1) RETURNING 1)
                         SELECT (SELECT COUNT(*) FROM e), (SELECT COUNT(*) FROM d),
                            (SELECT COUNT(*) FROM a)").await?,
                        &[&keys, &deliveries],
                    )
                    .await?;
                purged.events += unms(counts.get(0));
                purged.deliveries += unms(counts.get(1));
                purged.attempts += unms(counts.get(2));
            }
            if (rows.len() as i64) < batch || keys.is_empty() {
                break;
            }
        }
        Ok(purged)
    }
}
