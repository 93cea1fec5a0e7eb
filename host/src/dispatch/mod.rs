//! The delivery engine: fans published events out to subscriptions, and runs due jobs —
//! plugin, signature, request, record — with retries, bounded concurrency per subscription and
//! overall, jobs that stay queued until their attempt is recorded, and a retention sweep.

mod attempt;
mod circuit;
mod claims;
pub mod health;
mod lifecycle;
mod manual;
mod nodes;
mod ordering;
mod plugin_input;
mod publish;
mod recording;
mod retry;
mod scheduler;
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

    /// Asks [`Dispatcher::run`] to stop.
    pub fn shutdown(&self) {
        self.shared.stop.send_replace(true);
    }
}

/// Milliseconds, as the store and the records count time.
fn duration_ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
