//! The delivery engine: fans published events out to subscriptions, and runs due jobs —
//! plugin, signature, request, record — with retries, bounded concurrency per subscription and
//! overall, jobs that stay queued until their attempt is recorded, and a retention sweep.

mod attempt;
mod circuit;
mod claims;
mod nodes;
mod ordering;
mod retry;
pub mod shadow;
mod subscriptions;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::sync::{Notify, Semaphore, watch};
use tokio::task::JoinSet;

use crate::deliver::Sender;
use crate::model::{
    Attempt, Delivery, DeliveryStatus, Event, Status, Subscription, Workspace, time,
};
use crate::plugin::{PluginOptions, Runtime};
use crate::store::{DeliveryRange, Fanout, Published, Store, StoreError};

/// How often a node looks for due jobs it was not told of (several nodes on one database).
const SWEEP_MS: u64 = 1_000;

pub use circuit::{CircuitConfig, CircuitView, Phase};
use ordering::Ordered;
pub use ordering::valid_path as valid_ordering_key;
pub use retry::RetryPolicy;
pub use subscriptions::{Live, PrepareError};

/// Settings of the engine.
#[derive(Debug, Clone)]
pub struct DispatchConfig {
    pub retry: RetryPolicy,
    /// Attempts in flight at once, overall.
    pub concurrency: usize,
    /// Attempts in flight at once, per subscription.
    pub per_subscription: usize,
    /// Attempts in flight at once, per workspace (all its subscriptions together).
    pub per_workspace: usize,
    /// Attempts in flight at once, per endpoint host (all subscriptions pointing there).
    pub per_host: usize,
    /// Events older than this are purged with their deliveries and attempts.
    pub retention: Duration,
    pub plugin_options: PluginOptions,
    pub circuit: CircuitConfig,
    /// How long a claimed job is held for this node (several nodes on one database): longer
    /// than any attempt takes. A dead node's jobs are taken over once it has passed.
    pub lease: Duration,
}

impl Default for DispatchConfig {
    fn default() -> Self {
        DispatchConfig {
            retry: RetryPolicy::default(),
            concurrency: 512,
            per_subscription: 32,
            per_workspace: 256,
            per_host: 256,
            retention: Duration::from_secs(30 * 24 * 3600),
            plugin_options: PluginOptions::default(),
            circuit: CircuitConfig::default(),
            lease: Duration::from_secs(60),
        }
    }
}

/// Errors of the engine's operations.
#[derive(Debug, thiserror::Error)]
pub enum DispatchError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("delivery not found")]
    NotFound,
    #[error("the delivery is being attempted right now")]
    Busy,
    #[error("the delivery's subscription no longer exists")]
    NoSubscription,
}

/// What the engine shares with its tasks.
pub(crate) struct Shared {
    store: Store,
    runtime: Runtime,
    sender: Sender,
    retry: RetryPolicy,
    config: DispatchConfig,
    registry: subscriptions::Registry,
    claims: Arc<claims::Claims>,
    global: Arc<Semaphore>,
    /// The host-wide bound on candidate plugins' shadow runs.
    shadow_slots: Arc<shadow::Slots>,
    wake: Notify,
    stop: watch::Sender<bool>,
    metrics: crate::metrics::Metrics,
}

/// The engine. Cheap to clone.
#[derive(Clone)]
pub struct Dispatcher {
    shared: Arc<Shared>,
}

impl Dispatcher {
    /// Builds the engine and loads every stored subscription (preparing their plugins). A
    /// subscription whose plugin fails to start is disabled, with the reason; the others and
    /// the server carry on.
    pub async fn new(
        store: Store,
        runtime: Runtime,
        sender: Sender,
        config: DispatchConfig,
    ) -> Result<Self, StoreError> {
        let (per_workspace, per_host) = (config.per_workspace, config.per_host);
        let shared = Arc::new(Shared {
            retry: config.retry.clone(),
            global: Arc::new(Semaphore::new(config.concurrency.max(1))),
            // Candidates can never take the CPU deliveries need.
            shadow_slots: Arc::new(shadow::Slots::for_this_host()),
            store,
            runtime,
            sender,
            config,
            registry: subscriptions::Registry::new(per_workspace, per_host),
            claims: Arc::default(),
            wake: Notify::new(),
            stop: watch::channel(false).0,
            metrics: crate::metrics::Metrics::new(),
        });
        let dispatcher = Dispatcher { shared };
        // By plugin: each plugin's code is mapped once, whatever the budget holds.
        let mut subs = dispatcher.shared.store.subscriptions().await?;
        subs.sort_by(|a, b| {
            let plugin = |s: &Subscription| s.plugin.as_ref().map(|p| p.id.clone());
            plugin(a).cmp(&plugin(b))
        });
        for sub in subs {
            dispatcher.load(sub).await;
        }
        Ok(dispatcher)
    }

    /// The Prometheus text exposition: counters, and gauges read now (queues by workspace,
    /// the plugin runtime).
    pub async fn metrics_text(&self) -> String {
        let mut by_ws: std::collections::BTreeMap<String, (u64, u64)> = Default::default();
        let depths = match self.shared.store.queue_depths().await {
            Ok(depths) => depths,
            Err(e) => {
                tracing::error!(error = %e, "cannot read queue depths");
                Vec::new()
            }
        };
        for (sub, depth, earliest) in depths {
            let ws = self
                .shared
                .registry
                .get(&sub)
                .map_or_else(|| "(deleted)".to_owned(), |l| l.sub.workspace.clone());
            let entry = by_ws.entry(ws).or_insert((0, u64::MAX));
            entry.0 += depth;
            entry.1 = entry.1.min(earliest);
        }
        let mut circuits: std::collections::BTreeMap<&'static str, u64> = [
            (Phase::Closed.as_str(), 0),
            (Phase::Open.as_str(), 0),
            (Phase::HalfOpen.as_str(), 0),
        ]
        .into();
        for live in self.shared.registry.all() {
            *circuits
                .entry(live.circuit.view().phase.as_str())
                .or_default() += 1;
        }
        self.shared.metrics.render(&crate::metrics::Snapshot {
            queues: by_ws.into_iter().map(|(ws, (d, e))| (ws, d, e)).collect(),
            circuits: circuits.into_iter().collect(),
            flushes: self.shared.store.flush_stats(),
            plugins: self.shared.runtime.stats(),
            now_ms: time::now_ms(),
        })
    }

    pub fn store(&self) -> &Store {
        &self.shared.store
    }

    pub fn runtime(&self) -> &Runtime {
        &self.shared.runtime
    }

    pub fn sender(&self) -> &Sender {
        &self.shared.sender
    }

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
    async fn pending_by_key(&self, sub_id: &str) -> Ordered {
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
    async fn disable(
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

    /// Stores an event with one job per matching enabled subscription (or adds it to the
    /// subscription's open batch); returns once it is durable, with the deliveries that hold
    /// it. Re-publishing an id returns the stored event and its deliveries.
    /// `workspace` is the event's workspace as stored (the caller has read it to check it
    /// exists).
    pub async fn publish(
        &self,
        event: Event,
        workspace: &Workspace,
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
        let published = self.shared.store.publish(&event, &fanout).await;
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

    /// Delivers a synthetic `hookshape.test` event to one subscription now (whatever its
    /// event filter and status) and returns the attempt. It is stored like any delivery, and
    /// not retried.
    pub async fn send_test(&self, ws: &str, sub_id: &str) -> Result<Attempt, DispatchError> {
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
        let mut event = Event::new("hookshape.test", &object, None, None, None, None)
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

    /// Records a finished attempt; `queued` are the queue entries it ran for.
    async fn record(
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
    async fn circuit_changed(
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
    async fn notify_disabled(&self, sub: &Subscription, reason: &str) -> Result<(), StoreError> {
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

    /// A subscription's circuit as it is now (closed for one not in service).
    /// The comparisons of a subscription's candidate plugin on this node.
    pub fn shadow(&self, id: &str) -> Option<Arc<shadow::Shadow>> {
        self.shared.registry.get(id).map(|l| l.shadow.clone())
    }

    pub fn circuit(&self, id: &str) -> Option<CircuitView> {
        self.shared.registry.get(id).map(|l| l.circuit.view())
    }

    /// The endpoint said 410 Gone: disable its subscription.
    async fn disable_gone(&self, live: &Live) -> Result<(), StoreError> {
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

    /// Runs the engine until [`Dispatcher::shutdown`]: requeues jobs that earlier versions
    /// held as leases, then schedules due jobs and sweeps old events. On shutdown it
    /// stops taking jobs and waits (up to `grace`) for attempts in flight; unfinished ones are
    /// still queued and run again at the next start.
    pub async fn run(&self, grace: Duration) {
        let shared = &self.shared;
        match shared.store.requeue_leases(time::now_ms()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(jobs = n, "resumed jobs left in flight by the last run"),
            Err(e) => tracing::error!(error = %e, "cannot resume leased jobs"),
        }
        let mut stop = shared.stop.subscribe();
        let mut tasks = JoinSet::new();
        if let Some(changes) = shared.store.changes() {
            // What changed between loading at start and listening now is picked up here.
            self.resync().await;
            tasks.spawn(self.clone().follow(changes));
        }
        let mut last_purge = 0u64;
        let mut last_sweep = 0u64;
        loop {
            if *stop.borrow() {
                break;
            }
            let now = time::now_ms();
            if now.saturating_sub(last_purge) > self.purge_interval_ms() {
                last_purge = now;
                self.purge(now).await;
            }
            if now.saturating_sub(last_sweep) >= SWEEP_MS {
                last_sweep = now;
                self.sweep(now).await;
            }
            let next_due = self.schedule(now, &mut tasks).await;
            while tasks.try_join_next().is_some() {}
            let wait = next_due.map_or(Duration::from_millis(250), |t| {
                Duration::from_millis(t.saturating_sub(time::now_ms()).clamp(1, 250))
            });
            tokio::select! {
                () = shared.wake.notified() => {}
                () = tokio::time::sleep(wait) => {}
                _ = stop.changed() => {}
            }
        }
        let drained =
            tokio::time::timeout(grace, async { while tasks.join_next().await.is_some() {} }).await;
        if drained.is_err() {
            tracing::warn!(
                left = tasks.len(),
                "attempts still in flight at shutdown; they resume at the next start"
            );
            tasks.abort_all();
        }
    }

    /// Claims and starts every due job that has a free slot; returns the earliest time a job
    /// not started may be due. Only subscriptions on the agenda are looked at: poked ones,
    /// ones whose timer fell due, and (when a slot is free overall) ones that found none.
    async fn schedule(&self, now: u64, tasks: &mut JoinSet<()>) -> Option<u64> {
        let shared = &self.shared;
        let agenda = shared.registry.agenda();
        let (visit, mut earliest) = agenda.take_due(now, shared.global.available_permits());
        let mut seen = std::collections::HashSet::with_capacity(visit.len());
        for (id, timer) in visit {
            let Some(live) = shared.registry.get(&id) else {
                continue;
            };
            if timer != 0 {
                let _ =
                    live.timer_at
                        .compare_exchange(timer, 0, Ordering::AcqRel, Ordering::Acquire);
            }
            if !seen.insert(id) {
                continue;
            }
            // Looked at now: a poke from here on puts it back on the ready list.
            live.next_due_ms.store(u64::MAX, Ordering::Release);
            if live.sub.status != Status::Enabled {
                continue;
            }
            let own = live.permits.available_permits();
            let mut free = own
                .min(live.workspace_permits.available_permits())
                .min(live.host_permits.available_permits())
                .min(shared.global.available_permits());
            // An open circuit, a receiver's Retry-After or the subscription's pace hold jobs
            // back (queued, not failed); the agenda brings it back when they may go.
            let pace = live.sub.rate_limit.map(|r| circuit::Pace {
                per_second: f64::from(r.per_second),
                burst: f64::from(r.burst),
            });
            if free > 0 {
                let (allowed, look_again) = live.circuit.admit(now, free, pace);
                if let Some(t) = look_again {
                    agenda.at(t, &live.sub.id);
                    earliest = Some(earliest.map_or(t, |e| e.min(t)));
                }
                if allowed == 0 {
                    continue;
                }
                free = allowed;
            }
            if free == 0 {
                // Full: its own finishing attempt pokes it; if its workspace's, its host's or
                // the overall limit is what is full, any finishing attempt brings it back.
                if own > 0 {
                    agenda.starved(&live.sub.id);
                }
                continue;
            }
            // Claimed (being attempted), or behind an older delivery of its key.
            let claimed = |id: &str| {
                shared.claims.contains(id) || live.ordered.as_ref().is_some_and(|o| !o.may_go(id))
            };
            let lease_ms = duration_ms(shared.config.lease);
            let found = shared
                .store
                .due(&live.sub.id, now, free, lease_ms, &claimed)
                .await;
            let (due, later) = match found {
                Ok(found) => found,
                Err(e) => {
                    tracing::error!(subscription = %live.sub.id, error = %e, "cannot read due jobs");
                    agenda.at(now + 1_000, &live.sub.id);
                    continue;
                }
            };
            let full = due.len() >= free;
            let mut started = 0;
            let mut not_started = Vec::new();
            let mut jobs = due.into_iter();
            for (due_ms, delivery_id) in jobs.by_ref() {
                let (Ok(sub_permit), Ok(ws_permit), Ok(host_permit), Ok(global_permit)) = (
                    live.permits.clone().try_acquire_owned(),
                    live.workspace_permits.clone().try_acquire_owned(),
                    live.host_permits.clone().try_acquire_owned(),
                    shared.global.clone().try_acquire_owned(),
                ) else {
                    not_started.push(delivery_id);
                    break;
                };
                let Some(claim) = shared.claims.claim(&delivery_id) else {
                    continue;
                };
                let engine = self.clone();
                let live = live.clone();
                started += 1;
                tasks.spawn(async move {
                    engine.attempt_job(&live, due_ms, &delivery_id).await;
                    drop((claim, sub_permit, ws_permit, host_permit, global_permit));
                    live.poke();
                    engine.shared.wake.notify_one();
                });
            }
            not_started.extend(jobs.map(|(_, id)| id));
            if !not_started.is_empty()
                && let Err(e) = shared.store.release(&live.sub.id, &not_started).await
            {
                tracing::warn!(error = %e, "cannot give back claimed jobs; their lease runs out");
            }
            live.circuit.started(started, pace);
            if !full && let Some(t) = later {
                // One timer entry per time: a repeated visit does not add another.
                if live.timer_at.swap(t, Ordering::AcqRel) != t {
                    agenda.at(t, &live.sub.id);
                }
                earliest = Some(earliest.map_or(t, |e| e.min(t)));
            }
        }
        earliest
    }

    /// A delivery as it is once no more events can join it, with the stored events it sends
    /// (purged ones left out): for a batch, its subscription's open batch is closed first,
    /// then the delivery is read again.
    async fn load_closed(
        &self,
        delivery_id: &str,
    ) -> Result<(Option<Delivery>, Vec<Event>), StoreError> {
        let store = &self.shared.store;
        let loaded = match store.delivery_with_events(delivery_id).await? {
            Some((d, _)) if d.batch.is_some() && d.status == DeliveryStatus::Pending => {
                store.close_batch(&d.subscription_id, delivery_id).await?;
                store.delivery_with_events(delivery_id).await?
            }
            other => other,
        };
        Ok(loaded.map_or((None, Vec::new()), |(d, events)| (Some(d), events)))
    }

    /// Attempts the job queued at `due_ms` for a claimed delivery.
    async fn attempt_job(&self, live: &Live, due_ms: u64, delivery_id: &str) {
        let store = &self.shared.store;
        let loaded = self.load_closed(delivery_id).await;
        if let Ok((Some(d), _)) = &loaded {
            match store.event_committed(&d.event_key()).await {
                Ok(true) => {}
                Ok(false) => {
                    // Queued by a publish that crashed before its marker: never acknowledged.
                    tracing::warn!(
                        delivery = delivery_id,
                        "dropping a job of an unfinished publish"
                    );
                    if let Err(e) = store.forget_delivery(d).await {
                        tracing::error!(error = %e, "cannot drop a stale job");
                    }
                    if let Some(o) = &live.ordered {
                        o.finished(&d.id);
                    }
                    return;
                }
                Err(e) => {
                    tracing::error!(error = %e, "cannot load a job");
                    return;
                }
            }
        }
        let (delivery, events) = match loaded {
            Ok((Some(d), events)) if d.status == DeliveryStatus::Pending && !events.is_empty() => {
                (d, events)
            }
            Ok((Some(mut d), _)) => {
                // Nothing left to send: finished meanwhile, or its events are gone.
                if d.status == DeliveryStatus::Pending {
                    d.status = DeliveryStatus::Failed;
                    d.next_attempt_ms = None;
                    d.last_error = Some("its events are no longer stored".into());
                }
                if let Err(e) = store.finish_attempt(None, &d, &[due_ms]).await {
                    tracing::error!(error = %e, "cannot drop a stale job");
                }
                if let Some(o) = &live.ordered {
                    o.finished(&d.id);
                }
                return;
            }
            Ok((None, _)) => {
                tracing::warn!(delivery = delivery_id, "queued job without its delivery");
                if let Some(o) = &live.ordered {
                    o.finished(delivery_id);
                }
                if let Err(e) = store.forget_job(&live.sub.id, due_ms, delivery_id).await {
                    tracing::error!(error = %e, "cannot drop a stale job");
                }
                return;
            }
            Err(e) => {
                // The job stays queued; a later pass tries again.
                tracing::error!(error = %e, "cannot load a job");
                return;
            }
        };
        // A full batch may have been moved to an earlier slot since the scheduler saw it.
        let mut queued: Vec<u64> = delivery.queued_at().into_iter().collect();
        if !queued.contains(&due_ms) {
            queued.push(due_ms);
        }
        let finished = attempt::run(
            &self.shared,
            live,
            &events,
            delivery,
            attempt::Kind::Scheduled,
        )
        .await;
        if let Err(e) = self.record(live, &finished, &queued).await {
            tracing::error!(error = %e, "cannot record an attempt; it will be repeated");
        }
    }

    /// How often retention sweeps: every minute, or a tenth of a shorter retention period.
    fn purge_interval_ms(&self) -> u64 {
        (duration_ms(self.shared.config.retention) / 10).clamp(1_000, 60_000)
    }

    /// Removes what retention lets go, in batches until none is left: a sweep keeps up with
    /// any publish rate, so the data directory stays flat at a constant one.
    async fn purge(&self, now: u64) {
        const BATCH: usize = 10_000;
        let cutoff = now.saturating_sub(duration_ms(self.shared.config.retention));
        let claimed = |id: &str| self.shared.claims.contains(id);
        let mut total = crate::store::Purged::default();
        loop {
            match self
                .shared
                .store
                .purge_before(cutoff, BATCH, &claimed)
                .await
            {
                Ok(p) => {
                    total.events += p.events;
                    total.deliveries += p.deliveries;
                    total.attempts += p.attempts;
                    if (p.events as usize) < BATCH || *self.shared.stop.borrow() {
                        break;
                    }
                    tokio::task::yield_now().await;
                }
                Err(e) => {
                    tracing::error!(error = %e, "retention sweep failed");
                    break;
                }
            }
        }
        if total.events > 0 {
            tracing::info!(
                events = total.events,
                deliveries = total.deliveries,
                attempts = total.attempts,
                "purged old events"
            );
        }
        // An object not published for the retention period loses its snapshot too.
        match self.shared.store.purge_snapshots_before(cutoff).await {
            Ok(n) if n > 0 => tracing::info!(snapshots = n, "purged old snapshots"),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "snapshot retention sweep failed"),
        }
    }

    /// Asks [`Dispatcher::run`] to stop.
    pub fn shutdown(&self) {
        self.shared.stop.send_replace(true);
    }
}

/// Failed attempts at `warn`, exhausted deliveries at `error`: ids and reasons, never
/// secrets or bodies.
fn log_outcome(live: &Live, finished: &attempt::Finished) {
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

fn duration_ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
