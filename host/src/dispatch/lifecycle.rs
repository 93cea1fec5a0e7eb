//! Subscriptions into and out of service: loading one (its plugin prepared, its pending
//! keys read), disabling one whose plugin or endpoint fails for good, unloading a deleted one,
//! and what the API reads of one in service (its circuit, its candidate's comparisons).

use std::sync::Arc;

use super::*;

impl Dispatcher {
    /// Checks that a subscription's plugin can be prepared (its config is valid).
    pub async fn check_plugin(&self, sub: &Subscription) -> Result<(), PrepareError> {
        subscriptions::prepare_plugin(
            &self.shared.store,
            &self.shared.runtime,
            sub,
            PluginOptions {
                recycle_after: 1,
                max_idle: 0,
            },
        )
        .await
        .map(drop)
    }

    /// Whether `workspace` may use plugin `id`: a built-in, or one uploaded in it.
    pub async fn may_use_plugin(&self, workspace: &str, id: &str) -> Result<bool, StoreError> {
        subscriptions::may_use(&self.shared.store, &self.shared.runtime, workspace, id).await
    }

    /// The code of a plugin `workspace` may use, loaded; `None` when it has no such plugin.
    pub async fn plugin_code(
        &self,
        workspace: &str,
        id: &str,
    ) -> Result<Option<Arc<crate::plugin::PluginCode>>, PrepareError> {
        subscriptions::plugin_code(&self.shared.store, &self.shared.runtime, workspace, id).await
    }

    /// Puts a stored subscription (new or changed) into service. When its plugin fails
    /// through its own fault (its `configure` errs, traps or runs out of time or memory, or
    /// its limits are past the ceilings), the subscription is disabled with the reason.
    pub async fn load(&self, mut sub: Subscription) {
        let plugin = subscriptions::prepare_plugin(
            &self.shared.store,
            &self.shared.runtime,
            &sub,
            self.shared.config.plugin_options,
        )
        .await;
        if let Err(e) = &plugin {
            tracing::warn!(subscription = %sub.id, error = %e, "plugin unavailable");
            if sub.status == Status::Enabled && e.is_plugins_fault() {
                let reason = format!("the plugin failed to start: {e}");
                match self.disable(&sub.workspace, &sub.id, reason).await {
                    Ok(Some(disabled)) => sub = disabled,
                    Ok(None) => {}
                    Err(e) => tracing::error!(error = %e, "cannot disable a subscription"),
                }
            }
        }
        let candidate = match &sub.candidate {
            Some(c) => Some(
                subscriptions::prepare_ref(
                    &self.shared.store,
                    &self.shared.runtime,
                    &sub.workspace,
                    &c.plugin,
                    self.shared.config.plugin_options,
                )
                .await
                .map_err(|e| e.to_string()),
            ),
            None => None,
        };
        let mut live = subscriptions::Live::new(
            sub,
            plugin,
            candidate,
            self.shared.config.per_subscription,
            self.shared.registry.agenda().clone(),
        );
        // With several nodes, only the database sees every key's pending deliveries.
        if live.sub.ordering.is_some() && !self.shared.store.claims_key_heads_only() {
            live.ordered = Some(Arc::new(self.pending_by_key(&live.sub.id).await));
        }
        self.shared.registry.insert(live);
        self.shared.wake.notify_one();
    }

    /// A subscription's pending deliveries by key, as stored (when it is loaded).
    pub(super) async fn pending_by_key(&self, sub_id: &str) -> Ordered {
        let ordered = Ordered::default();
        match self
            .shared
            .store
            .deliveries_of_subscription(
                sub_id,
                DeliveryRange::status(Some(DeliveryStatus::Pending)),
                usize::MAX,
            )
            .await
        {
            Ok(pending) => {
                for d in pending {
                    if let Some(key) = &d.ordering_key {
                        ordered.add(key, &d.id);
                    }
                }
            }
            Err(e) => {
                tracing::error!(subscription = sub_id, error = %e, "cannot read pending deliveries")
            }
        }
        ordered
    }

    /// Disables a subscription in the store with a reason; the stored result, if it exists.
    pub(super) async fn disable(
        &self,
        ws: &str,
        id: &str,
        reason: String,
    ) -> Result<Option<Subscription>, StoreError> {
        let updated = self
            .shared
            .store
            .update_subscription(ws, id, None, |s| {
                s.status = Status::Disabled;
                s.disabled_reason = Some(reason.clone());
                s.updated_ms = time::now_ms();
                Ok::<(), ()>(())
            })
            .await?;
        Ok(match updated {
            Ok(crate::store::Updated::Done(sub)) => Some(sub),
            _ => None,
        })
    }

    /// Takes a deleted subscription out of service and fails its queued jobs.
    pub async fn unload(&self, id: &str) -> Result<(), StoreError> {
        self.shared.registry.remove(id);
        self.shared
            .store
            .fail_queue(id, "subscription deleted", time::now_ms())
            .await?;
        Ok(())
    }

    /// The endpoint said 410 Gone: disable its subscription.
    pub(super) async fn disable_gone(&self, live: &Live) -> Result<(), StoreError> {
        let reason = "the endpoint answered 410 Gone".to_owned();
        if let Some(sub) = self
            .disable(&live.sub.workspace, &live.sub.id, reason)
            .await?
        {
            tracing::info!(subscription = %sub.id, "disabled after 410 Gone");
            self.load(sub).await;
        }
        Ok(())
    }

    /// Closes a subscription's circuit by hand: its waiting jobs go now.
    pub fn close_circuit(&self, ws: &str, id: &str) -> bool {
        match self.shared.registry.get(id) {
            Some(live) if live.sub.workspace == ws => {
                live.circuit.close(time::now_ms());
                live.poke();
                self.shared.wake.notify_one();
                true
            }
            _ => false,
        }
    }

    /// The comparisons of a subscription's candidate plugin on this node.
    pub fn shadow(&self, id: &str) -> Option<Arc<shadow::Shadow>> {
        self.shared.registry.get(id).map(|l| l.shadow.clone())
    }

    /// A subscription's endpoint health on this node (`None` for one not in service).
    pub fn health(&self, id: &str) -> Option<health::HealthView> {
        self.shared
            .registry
            .get(id)
            .map(|l| l.health.view(time::now_ms()))
    }

    /// A subscription's circuit as it is now (`None` for one not in service).
    pub fn circuit(&self, id: &str) -> Option<CircuitView> {
        self.shared.registry.get(id).map(|l| l.circuit.view())
    }
}
