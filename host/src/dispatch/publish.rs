//! Publishing: an event fanned out to the subscriptions it matches, durable before it
//! returns.

use tracing::Instrument as _;

use super::*;
use crate::telemetry;

impl Dispatcher {
    /// Stores an event with one job per matching enabled subscription (or adds it to the
    /// subscription's open batch); returns once it is durable, with the deliveries that hold
    /// it. Re-publishing an id returns the stored event and its deliveries.
    /// `workspace` is the event's workspace as stored (the caller has read it to check it
    /// exists).
    /// With tracing on, the publish is a span (continuing the trace of `event.trace`, the
    /// publisher's `traceparent`), which the stored event names for its attempts.
    pub async fn publish(
        &self,
        mut event: Event,
        workspace: &Workspace,
    ) -> Result<(Event, Vec<Delivery>, bool), StoreError> {
        let (span, kept) = match telemetry::decide(event.trace.take().as_deref()) {
            telemetry::Decision::Off => (tracing::Span::none(), false),
            telemetry::Decision::NotKept(traceparent) => {
                event.trace = Some(traceparent);
                (tracing::Span::none(), false)
            }
            telemetry::Decision::Kept(parent) => {
                let span = tracing::info_span!(target: telemetry::TARGET, "publish",
                    "event.id" = %event.id,
                    "event.type" = %event.event_type,
                    "workspace" = %event.workspace,
                    "deliveries" = tracing::field::Empty,
                    "duplicate" = tracing::field::Empty,
                );
                if let Some(parent) = parent {
                    telemetry::adopt(&span, &parent);
                }
                event.trace = telemetry::traceparent(&span);
                (span, true)
            }
        };
        let published = self
            .fan_out(event, workspace, kept)
            .instrument(span.clone())
            .await;
        if let Ok((_, deliveries, created)) = &published {
            span.record("deliveries", deliveries.len());
            span.record("duplicate", !created);
        }
        published
    }

    /// `traced`: the publish's trace is kept, so its store write is a span too.
    async fn fan_out(
        &self,
        event: Event,
        workspace: &Workspace,
        traced: bool,
    ) -> Result<(Event, Vec<Delivery>, bool), StoreError> {
        // The event's workspace and its parent (a site's events reach its organisation's
        // subscriptions); never any other.
        let mut workspaces = vec![event.workspace.as_str()];
        workspaces.extend(workspace.parent.as_deref());
        let matching = self.shared.registry.matching(&workspaces, &event);
        let started = std::time::Instant::now();
        let now = time::now_ms();
        // An event's key under a path is read once, however many subscriptions order by it.
        let mut keys: std::collections::HashMap<&str, Option<String>> = Default::default();
        let fanout: Vec<Fanout> = matching
            .iter()
            .map(|live| {
                let batch = live.sub.batch.as_ref();
                Fanout {
                    delivery: Delivery {
                        id: crate::model::new_id(crate::model::DELIVERY_PREFIX),
                        workspace: live.sub.workspace.clone(),
                        event_workspace: (live.sub.workspace != event.workspace)
                            .then(|| event.workspace.clone()),
                        event_id: event.id.clone(),
                        event_type: event.event_type.clone(),
                        batch: batch.map(|_| vec![event.id.clone()]),
                        subscription_id: live.sub.id.clone(),
                        status: DeliveryStatus::Pending,
                        attempts: 0,
                        manual_attempts: 0,
                        // A new batch waits for company, unless one event fills it.
                        next_attempt_ms: Some(match batch {
                            Some(b) if b.max_events > 1 => now + b.max_wait_ms,
                            _ => now,
                        }),
                        created_ms: now,
                        updated_ms: now,
                        last_error: None,
                        ordering_key: live.sub.ordering.as_ref().and_then(|o| {
                            keys.entry(o.key.as_str())
                                .or_insert_with(|| ordering::key_of(&o.key, &event))
                                .clone()
                        }),
                    },
                    max_events: batch.map(|b| b.max_events),
                }
            })
            .collect();
        // Ordered subscriptions learn their new deliveries before the jobs exist.
        let ordered: Vec<(&Arc<Ordered>, &Delivery)> = matching
            .iter()
            .zip(&fanout)
            .filter_map(|(live, f)| {
                let key = f.delivery.ordering_key.as_deref()?;
                let o = live.ordered.as_ref()?;
                o.add(key, &f.delivery.id);
                Some((o, &f.delivery))
            })
            .collect();
        let published = self
            .shared
            .store
            .publish(&event, &fanout)
            .instrument(if traced {
                tracing::info_span!(target: telemetry::TARGET, "store.publish")
            } else {
                tracing::Span::none()
            })
            .await;
        if !matches!(published, Ok(Published::New(_))) {
            for (o, d) in &ordered {
                o.finished(&d.id);
            }
        }
        match published? {
            Published::New(deliveries) => {
                for live in &matching {
                    live.poke();
                }
                self.shared.wake.notify_one();
                self.shared
                    .metrics
                    .published(started.elapsed().as_secs_f64());
                Ok((event, deliveries, true))
            }
            Published::Existing(existing) => {
                let deliveries = self
                    .shared
                    .store
                    .deliveries_of_event(&existing.key())
                    .await?;
                Ok((*existing, deliveries, false))
            }
        }
    }
}
