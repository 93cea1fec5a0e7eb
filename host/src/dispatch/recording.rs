//! After an attempt: its record, the circuit's verdict, and the event that tells a
//! workspace one of its subscriptions was disabled.

use tracing::Instrument as _;

use super::*;

impl Dispatcher {
    /// Records a finished attempt; `queued` are the queue entries it ran for.
    pub(super) async fn record(
        &self,
        live: &Live,
        finished: &attempt::Finished,
        queued: &[u64],
    ) -> Result<(), StoreError> {
        self.shared
            .store
            .finish_attempt(
                Some(&finished.attempt.for_storage(finished.default_body)),
                &finished.delivery,
                queued,
            )
            .instrument(if finished.span.is_disabled() {
                tracing::Span::none()
            } else {
                tracing::info_span!(target: crate::telemetry::TARGET,
                    parent: &finished.span, "store.record")
            })
            .await?;
        if finished.delivery.status != DeliveryStatus::Pending
            && let Some(o) = &live.ordered
        {
            o.finished(&finished.delivery.id);
        }
        let attempt = &finished.attempt;
        self.shared.metrics.attempt(
            match attempt.outcome {
                crate::model::AttemptOutcome::Succeeded => "succeeded",
                crate::model::AttemptOutcome::Failed => "failed",
                crate::model::AttemptOutcome::Dropped => "dropped",
            },
            attempt.error.as_ref().map(|e| e.code.as_str()),
            attempt.duration_ms as f64 / 1000.0,
        );
        log_outcome(live, finished);
        if finished.gone {
            self.disable_gone(live).await?;
        }
        let now = time::now_ms();
        if let Some(pause) = finished.pause {
            let ms = u64::try_from(pause.as_millis()).unwrap_or(u64::MAX);
            live.circuit.pause_until(now.saturating_add(ms));
        }
        if let Some(ok) = finished.endpoint_ok {
            let failure = attempt.error.as_ref().map(|e| e.detail.as_str());
            live.health.record(
                now,
                attempt.duration_ms,
                if ok { None } else { failure.or(Some("failed")) },
            );
            self.circuit_changed(
                live,
                live.circuit.record(now, ok, &self.shared.config.circuit),
            )
            .await?;
        }
        Ok(())
    }

    /// Logs a circuit's change; a long outage disables the subscription and tells its
    /// workspace with a `hookshape.subscription.disabled` event.
    pub(super) async fn circuit_changed(
        &self,
        live: &Live,
        change: circuit::Change,
    ) -> Result<(), StoreError> {
        let sub = &live.sub;
        match change {
            circuit::Change::None => {}
            circuit::Change::Opened => {
                let view = live.circuit.view();
                tracing::warn!(
                    workspace = %sub.workspace,
                    subscription = %sub.id,
                    failures = view.failures,
                    probe_at = %view.retry_at_ms.map(time::rfc3339_ms).unwrap_or_default(),
                    "circuit opened: deliveries wait for the endpoint"
                );
            }
            circuit::Change::Closed => tracing::info!(
                workspace = %sub.workspace,
                subscription = %sub.id,
                "circuit closed: the endpoint answers again"
            ),
            circuit::Change::Disable => {
                let reason = format!(
                    "the endpoint kept failing for over {}; circuit open since {}",
                    humantime::format_duration(
                        self.shared.config.circuit.disable_after.unwrap_or_default()
                    ),
                    time::rfc3339_ms(live.circuit.view().since_ms)
                );
                if let Some(disabled) = self
                    .disable(&sub.workspace, &sub.id, reason.clone())
                    .await?
                {
                    tracing::error!(subscription = %sub.id, reason, "subscription disabled");
                    self.load(disabled).await;
                    self.notify_disabled(sub, &reason).await?;
                }
            }
        }
        Ok(())
    }

    /// Publishes `hookshape.subscription.disabled` into the subscription's workspace, for
    /// whoever subscribed to it (an operator's alerting, the SaaS's own UI).
    pub(super) async fn notify_disabled(
        &self,
        sub: &Subscription,
        reason: &str,
    ) -> Result<(), StoreError> {
        let Some(workspace) = self.shared.store.workspace(&sub.workspace).await? else {
            return Ok(());
        };
        let object = serde_json::json!({
            "subscriptionId": sub.id, "url": sub.url, "reason": reason,
        });
        let Ok(mut event) = Event::new(
            "hookshape.subscription.disabled",
            &object,
            None,
            None,
            None,
            None,
        ) else {
            return Ok(());
        };
        event.workspace = sub.workspace.clone();
        self.publish(event, &workspace).await.map(drop)
    }
}

/// Failed attempts at `warn`, exhausted deliveries at `error`: ids and reasons, never
/// secrets or bodies.
pub(super) fn log_outcome(live: &Live, finished: &attempt::Finished) {
    let (attempt, delivery) = (&finished.attempt, &finished.delivery);
    let Some(error) = &attempt.error else { return };
    let reason = error.detail.as_str();
    match delivery.status {
        DeliveryStatus::Pending => tracing::warn!(
            workspace = %delivery.workspace,
            subscription = %live.sub.id,
            delivery = %delivery.id,
            attempt = attempt.number,
            code = %error.code,
            reason,
            next_retry = %delivery.next_attempt_ms.map(time::rfc3339_ms).unwrap_or_default(),
            "delivery attempt failed"
        ),
        DeliveryStatus::Failed => tracing::error!(
            workspace = %delivery.workspace,
            subscription = %live.sub.id,
            delivery = %delivery.id,
            attempts = delivery.attempts,
            code = %error.code,
            reason,
            "delivery failed; no retries left (retry it by hand)"
        ),
        _ => {}
    }
}
