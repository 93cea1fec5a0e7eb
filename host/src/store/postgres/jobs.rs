//! Publishing in SQL: an event with its deliveries and their index in one statement, or in
//! one transaction when batches are joined; new jobs told to the other nodes.

use std::collections::BTreeSet;

use super::rows::{body, delivery_arrays, delivery_columns};
use super::{PgStore, ms};
use crate::model::{Delivery, Event};
use crate::store::engine::Engine;
use crate::store::{Fanout, Published, Result, StoreError, encode};

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
}
