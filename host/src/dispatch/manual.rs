//! Attempts asked for by hand: a retry now, and a test event to one subscription.

use super::*;

impl Dispatcher {
    /// Makes an attempt of a delivery now and returns it. A failed delivery stays failed
    /// unless this attempt succeeds; a pending one keeps its retry schedule.
    pub async fn retry_now(&self, ws: &str, delivery_id: &str) -> Result<Attempt, DispatchError> {
        // Another workspace's delivery is not found, before anything else is touched.
        match self.shared.store.delivery(delivery_id).await? {
            Some(d) if d.workspace == ws => {}
            _ => return Err(DispatchError::NotFound),
        }
        let _claim = self
            .shared
            .claims
            .claim(delivery_id)
            .ok_or(DispatchError::Busy)?;
        let (delivery, events) = self.load_closed(delivery_id).await?;
        let delivery = delivery.ok_or(DispatchError::NotFound)?;
        let live = self
            .shared
            .registry
            .get(&delivery.subscription_id)
            .ok_or(DispatchError::NoSubscription)?;
        if events.is_empty() {
            return Err(DispatchError::NotFound);
        }
        let queued: Vec<u64> = delivery.queued_at().into_iter().collect();
        let finished = attempt::run(
            &self.shared,
            &live,
            &events,
            delivery,
            attempt::Kind::Manual,
        )
        .await;
        self.record(&live, &finished, &queued).await?;
        live.poke();
        self.shared.wake.notify_one();
        Ok(finished.attempt)
    }

    /// Delivers a synthetic `hookshape.test` event — or `example`, an event type and its
    /// catalog example, shaped by the subscription's plugin like a real one — to one
    /// subscription now (whatever its event filter and status) and returns the attempt. It is
    /// stored like any delivery, and not retried.
    pub async fn send_test(
        &self,
        ws: &str,
        sub_id: &str,
        example: Option<(&str, &serde_json::Value)>,
    ) -> Result<Attempt, DispatchError> {
        let live = self
            .shared
            .registry
            .get(sub_id)
            .filter(|l| l.sub.workspace == ws)
            .ok_or(DispatchError::NoSubscription)?;
        let object = serde_json::json!({
            "message": "a test delivery from hookshape",
            "subscriptionId": sub_id,
        });
        let (event_type, object) = example.unwrap_or(("hookshape.test", &object));
        let mut event = Event::new(event_type, object, None, None, None, None)
            .map_err(|_| DispatchError::NotFound)?;
        event.workspace = ws.to_owned();
        event.live = live.sub.live;
        let now = time::now_ms();
        let delivery = Delivery {
            id: crate::model::new_id(crate::model::DELIVERY_PREFIX),
            workspace: ws.to_owned(),
            event_workspace: None,
            event_id: event.id.clone(),
            event_type: event.event_type.clone(),
            batch: live.sub.batch.as_ref().map(|_| vec![event.id.clone()]),
            subscription_id: sub_id.to_owned(),
            status: DeliveryStatus::Failed,
            attempts: 0,
            manual_attempts: 0,
            next_attempt_ms: None,
            created_ms: now,
            updated_ms: now,
            last_error: None,
            ordering_key: None,
        };
        let fanout = Fanout {
            delivery: delivery.clone(),
            max_events: None,
        };
        self.shared
            .store
            .publish(&event, std::slice::from_ref(&fanout))
            .await?;
        // Stored as failed-without-attempts, so the scheduler never picks it up.
        let finished = attempt::run(
            &self.shared,
            &live,
            std::slice::from_ref(&event),
            delivery,
            attempt::Kind::OneOff,
        )
        .await;
        self.record(&live, &finished, &[]).await?;
        Ok(finished.attempt)
    }
}
