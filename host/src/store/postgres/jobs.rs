//! Events, deliveries, the jobs and their leases, attempts and retention, in SQL.

use std::collections::BTreeSet;

use super::rows::{bodies, body, decode_column, delivery_arrays, delivery_columns};
use super::{PgStore, ms, unms};
use crate::model::{Attempt, Delivery, DeliveryStatus, Event};
use crate::store::engine::{DeliveryRange, DueJobs, Engine, Keep, Skip};
use crate::store::{Fanout, Published, Purged, Result, StoreError, encode};

/// Rows removed per retention transaction: short enough to hold no lock for long.
const PURGE_BATCH: i64 = 1_000;

impl PgStore {
    /// Joins the subscription's open batch if it has room: the batch as it now is, or `None`
    /// when a new one must be made. Runs in the publish's transaction; the row lock on the
    /// open batch orders concurrent publishers.
    pub(super) async fn join_open_batch(
        tx: &tokio_postgres::Transaction<'_>,
        event: &Event,
        sub_id: &str,
        max_events: u32,
        fresh: &Delivery,
    ) -> Result<Option<Delivery>> {
        let Some(open) = tx
            .query_opt(
                "SELECT delivery_id FROM open_batches WHERE subscription_id = $1 FOR UPDATE",
                &[&sub_id],
            )
            .await?
        else {
            return Ok(None);
        };
        let batch_id: String = open.get(0);
        let stored = tx
            .query_opt(
                "SELECT body FROM deliveries WHERE id = $1 FOR UPDATE",
                &[&batch_id],
            )
            .await?;
        let batch = match stored {
            Some(row) => Some(body::<Delivery>(&row, &batch_id)?),
            None => None,
        };
        let Some(mut batch) = batch.filter(|d| d.takes_events(max_events)) else {
            tx.execute(
                "DELETE FROM open_batches WHERE subscription_id = $1",
                &[&sub_id],
            )
            .await?;
            return Ok(None);
        };
        let full = batch.join(event, fresh.created_ms, max_events);
        if full {
            tx.execute(
                "DELETE FROM open_batches WHERE subscription_id = $1",
                &[&sub_id],
            )
            .await?;
            batch.next_attempt_ms = Some(fresh.created_ms);
        }
        let (_, _, status, due, bytes) = delivery_columns(&batch);
        tx.execute(
            "UPDATE deliveries SET status = $2, due_ms = $3, body = $4 WHERE id = $1",
            &[&batch.id, &status, &due, &bytes],
        )
        .await?;
        tx.execute(
            "INSERT INTO event_deliveries (event_key, delivery_id) VALUES ($1, $2)
             ON CONFLICT DO NOTHING",
            &[&event.key(), &batch.id],
        )
        .await?;
        Ok(Some(batch))
    }

    /// Publishing without batches: one statement (so one round trip and one transaction)
    /// writes the event, its deliveries and their index, or nothing when the key exists.
    pub(super) async fn publish_plain(
        &self,
        event: &Event,
        fanout: &[Fanout],
    ) -> Result<Published> {
        let key = event.key();
        let a = delivery_arrays(fanout.iter().map(|f| &f.delivery));
        let c = self.client().await?;
        let row = c
            .query_one(
                &c.prepare_cached(
                    "WITH e AS (
                    INSERT INTO events (key, received_ms, body) VALUES ($1, $2, $3)
                    ON CONFLICT DO NOTHING RETURNING key
                 ), d AS (
                    INSERT INTO deliveries (id, subscription_id, status, due_ms, body,
                        ordering_key)
                    SELECT u.* FROM e, UNNEST($4::text[], $5::text[], $6::text[], $7::int8[],
                        $8::bytea[], $9::text[]) AS u
                 ), x AS (
                    INSERT INTO event_deliveries (event_key, delivery_id)
                    SELECT e.key, i FROM e, UNNEST($4::text[]) AS i
                 )
                 SELECT COUNT(*) FROM e",
                )
                .await?,
                &[
                    &key,
                    &ms(event.received_ms),
                    &encode(event),
                    &a.ids,
                    &a.subs,
                    &a.statuses,
                    &a.dues,
                    &a.bodies,
                    &a.keys,
                ],
            )
            .await?;
        drop(c);
        if row.get::<_, i64>(0) == 0 {
            return self.existing(&key).await;
        }
        self.wake(fanout.iter().map(|f| &f.delivery));
        Ok(Published::New(
            fanout.iter().map(|f| f.delivery.clone()).collect(),
        ))
    }

    /// Tells the notifier which subscriptions these committed deliveries gave due jobs.
    fn wake<'a>(&self, deliveries: impl Iterator<Item = &'a Delivery>) {
        let subs: BTreeSet<&str> = deliveries
            .filter(|d| d.queued_at().is_some())
            .map(|d| d.subscription_id.as_str())
            .collect();
        for sub in subs {
            // Full: the notifier is behind, and each node's sweep finds these jobs anyway.
            let _ = self.woken.try_send(sub.to_owned());
        }
    }

    pub(super) async fn existing(&self, key: &str) -> Result<Published> {
        let event = Engine::event(self, key)
            .await?
            .ok_or_else(|| StoreError::Corrupt {
                key: key.to_owned(),
                detail: "the event vanished while publishing it again".into(),
            })?;
        Ok(Published::Existing(Box::new(event)))
    }

    pub(super) async fn publish(&self, event: &Event, fanout: &[Fanout]) -> Result<Published> {
        if fanout.iter().all(|f| f.max_events.is_none()) {
            return self.publish_plain(event, fanout).await;
        }
        let key = event.key();
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let inserted = tx
            .execute(
                "INSERT INTO events (key, received_ms, body) VALUES ($1, $2, $3)
                 ON CONFLICT DO NOTHING",
                &[&key, &ms(event.received_ms), &encode(event)],
            )
            .await?;
        if inserted == 0 {
            drop(tx);
            drop(c);
            return self.existing(&key).await;
        }
        let mut stored = Vec::with_capacity(fanout.len());
        let mut fresh = Vec::with_capacity(fanout.len());
        for f in fanout {
            let d = &f.delivery;
            if let Some(max) = f.max_events {
                if let Some(batch) =
                    Self::join_open_batch(&tx, event, &d.subscription_id, max, d).await?
                {
                    stored.push(batch);
                    continue;
                }
                if max > 1 {
                    tx.execute(
                        "INSERT INTO open_batches (subscription_id, delivery_id) VALUES ($1, $2)
                         ON CONFLICT (subscription_id) DO UPDATE
                         SET delivery_id = EXCLUDED.delivery_id",
                        &[&d.subscription_id, &d.id],
                    )
                    .await?;
                }
            }
            fresh.push(d);
            stored.push(d.clone());
        }
        if !fresh.is_empty() {
            // One statement for every new delivery, and one for their index.
            let a = delivery_arrays(fresh.iter().copied());
            tx.execute(
                "INSERT INTO deliveries (id, subscription_id, status, due_ms, body, ordering_key)
                 SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::int8[], $5::bytea[],
                    $6::text[])",
                &[&a.ids, &a.subs, &a.statuses, &a.dues, &a.bodies, &a.keys],
            )
            .await?;
            tx.execute(
                "INSERT INTO event_deliveries (event_key, delivery_id)
                 SELECT $1, id FROM UNNEST($2::text[]) id",
                &[&key, &a.ids],
            )
            .await?;
        }
        match tx.commit().await {
            Ok(()) => {
                self.wake(stored.iter());
                Ok(Published::New(stored))
            }
            Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION) => {
                drop(c);
                self.existing(&key).await
            }
            Err(e) => Err(e.into()),
        }
    }

    /// A publish is one transaction: a delivery that exists was committed with its event.
    pub(super) async fn event_committed(&self, _key: &str) -> Result<bool> {
        Ok(true)
    }

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
