//! Prometheus metrics (`GET /metrics`): counters and histograms updated where work happens,
//! gauges read when scraped. The only module that names prometheus-client.

use std::sync::atomic::AtomicU64;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::{Registry, Unit};

use crate::plugin::RuntimeStats;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CodeLabels {
    code: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PluginLabels {
    plugin: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PluginErrorLabels {
    plugin: String,
    code: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabels {
    state: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct WorkspaceLabels {
    workspace: String,
}

type FloatGauge = Gauge<f64, AtomicU64>;

/// Everything `/metrics` reports.
pub struct Metrics {
    registry: Registry,
    attempts: Family<OutcomeLabels, Counter>,
    attempt_errors: Family<CodeLabels, Counter>,
    attempt_seconds: Histogram,
    published: Counter,
    publish_seconds: Histogram,
    queued: Family<WorkspaceLabels, Gauge>,
    oldest_due_seconds: Family<WorkspaceLabels, FloatGauge>,
    circuits: Family<StateLabels, Gauge>,
    plugin_calls: Family<PluginLabels, Counter>,
    plugin_seconds: Family<PluginLabels, Counter<f64, AtomicU64>>,
    plugin_errors: Family<PluginErrorLabels, Counter>,
    store_flushes: Gauge,
    store_flush_seconds: FloatGauge,
    store_flush_max_seconds: FloatGauge,
    instances_alive: Gauge,
    instances_idle: Gauge,
    idle_bytes: Gauge,
    instance_evictions: Gauge,
    reinstantiations: Gauge,
    reinstantiate_seconds: FloatGauge,
    code_mapped_bytes: Gauge,
    code_evictions: Gauge,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

/// What is read when scraped.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Per workspace: queued jobs, and the earliest due time (ms).
    pub queues: Vec<(String, u64, u64)>,
    pub plugins: RuntimeStats,
    /// Subscriptions in service by circuit state.
    pub circuits: Vec<(&'static str, u64)>,
    /// Storage flushes: how many, their total and longest time (ns).
    pub flushes: (u64, u64, u64),
    pub now_ms: u64,
}

fn as_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("hookshape");
        let m = Metrics {
            attempts: Family::default(),
            attempt_errors: Family::default(),
            attempt_seconds: Histogram::new(exponential_buckets(0.001, 2.0, 16)),
            published: Counter::default(),
            publish_seconds: Histogram::new(exponential_buckets(0.0001, 2.0, 16)),
            queued: Family::default(),
            oldest_due_seconds: Family::default(),
            circuits: Family::default(),
            plugin_calls: Family::default(),
            plugin_seconds: Family::default(),
            plugin_errors: Family::default(),
            store_flushes: Gauge::default(),
            store_flush_seconds: FloatGauge::default(),
            store_flush_max_seconds: FloatGauge::default(),
            instances_alive: Gauge::default(),
            instances_idle: Gauge::default(),
            idle_bytes: Gauge::default(),
            instance_evictions: Gauge::default(),
            reinstantiations: Gauge::default(),
            reinstantiate_seconds: FloatGauge::default(),
            code_mapped_bytes: Gauge::default(),
            code_evictions: Gauge::default(),
            registry: Registry::default(),
        };
        registry.register(
            "delivery_attempts",
            "Delivery attempts by outcome",
            m.attempts.clone(),
        );
        registry.register(
            "delivery_attempt_errors",
            "Failed delivery attempts by error code",
            m.attempt_errors.clone(),
        );
        registry.register_with_unit(
            "delivery_attempt_duration",
            "Time of a delivery attempt (plugin, signing and request)",
            Unit::Seconds,
            m.attempt_seconds.clone(),
        );
        registry.register("events_published", "Events accepted", m.published.clone());
        registry.register_with_unit(
            "publish_duration",
            "Time from an accepted event to its fan-out on disk",
            Unit::Seconds,
            m.publish_seconds.clone(),
        );
        registry.register(
            "queued_jobs",
            "Delivery jobs queued, by workspace",
            m.queued.clone(),
        );
        registry.register_with_unit(
            "oldest_due_job_age",
            "How long the earliest queued job has been due, by workspace",
            Unit::Seconds,
            m.oldest_due_seconds.clone(),
        );
        registry.register(
            "subscription_circuits",
            "Subscriptions in service by circuit state (closed, open, half-open)",
            m.circuits.clone(),
        );
        registry.register(
            "plugin_calls",
            "Plugin transform calls, by plugin id",
            m.plugin_calls.clone(),
        );
        registry.register_with_unit(
            "plugin_time",
            "Time in plugin transform calls, by plugin id",
            Unit::Seconds,
            m.plugin_seconds.clone(),
        );
        registry.register(
            "plugin_errors",
            "Plugin calls that failed, by plugin id and reason",
            m.plugin_errors.clone(),
        );
        registry.register(
            "store_flushes",
            "Storage flushes (fsyncs shared by publishers), since start",
            m.store_flushes.clone(),
        );
        registry.register_with_unit(
            "store_flush_time",
            "Time spent in storage flushes, since start",
            Unit::Seconds,
            m.store_flush_seconds.clone(),
        );
        registry.register_with_unit(
            "store_flush_max",
            "The longest storage flush since start",
            Unit::Seconds,
            m.store_flush_max_seconds.clone(),
        );
        registry.register(
            "plugin_instances_alive",
            "Plugin instances alive (idle or in a call)",
            m.instances_alive.clone(),
        );
        registry.register(
            "plugin_instances_idle",
            "Configured plugin instances kept for reuse",
            m.instances_idle.clone(),
        );
        registry.register_with_unit(
            "plugin_idle_memory",
            "Linear memory of the idle plugin instances",
            Unit::Bytes,
            m.idle_bytes.clone(),
        );
        registry.register(
            "plugin_instance_evictions",
            "Idle instances dropped to keep within the memory budget (since start)",
            m.instance_evictions.clone(),
        );
        registry.register(
            "plugin_reinstantiations",
            "Instances created for a call because none was idle (since start)",
            m.reinstantiations.clone(),
        );
        registry.register_with_unit(
            "plugin_reinstantiation_time",
            "Time spent creating those instances (since start)",
            Unit::Seconds,
            m.reinstantiate_seconds.clone(),
        );
        registry.register_with_unit(
            "plugin_code_mapped",
            "Compiled plugin code kept mapped",
            Unit::Bytes,
            m.code_mapped_bytes.clone(),
        );
        registry.register(
            "plugin_code_evictions",
            "Compiled plugins unmapped to keep within the memory budget (since start)",
            m.code_evictions.clone(),
        );
        Metrics { registry, ..m }
    }

    /// One delivery attempt finished.
    pub fn attempt(&self, outcome: &str, error_code: Option<&str>, seconds: f64) {
        self.attempts
            .get_or_create(&OutcomeLabels {
                outcome: outcome.to_owned(),
            })
            .inc();
        if let Some(code) = error_code {
            self.attempt_errors
                .get_or_create(&CodeLabels {
                    code: code.to_owned(),
                })
                .inc();
        }
        self.attempt_seconds.observe(seconds);
    }

    /// One plugin call ended.
    pub fn plugin_call(&self, plugin: &str, seconds: f64, error_code: Option<&str>) {
        let labels = PluginLabels {
            plugin: plugin.to_owned(),
        };
        self.plugin_calls.get_or_create(&labels).inc();
        self.plugin_seconds.get_or_create(&labels).inc_by(seconds);
        if let Some(code) = error_code {
            self.plugin_errors
                .get_or_create(&PluginErrorLabels {
                    plugin: labels.plugin,
                    code: code.to_owned(),
                })
                .inc();
        }
    }

    /// One event was published (durable, fanned out).
    pub fn published(&self, seconds: f64) {
        self.published.inc();
        self.publish_seconds.observe(seconds);
    }

    /// The text exposition, with the gauges set from `snapshot`.
    pub fn render(&self, snapshot: &Snapshot) -> String {
        self.queued.clear();
        self.oldest_due_seconds.clear();
        for (ws, depth, earliest) in &snapshot.queues {
            let labels = WorkspaceLabels {
                workspace: ws.clone(),
            };
            self.queued.get_or_create(&labels).set(as_i64(*depth));
            let age = snapshot.now_ms.saturating_sub(*earliest) as f64 / 1000.0;
            self.oldest_due_seconds.get_or_create(&labels).set(age);
        }
        for (state, n) in &snapshot.circuits {
            self.circuits
                .get_or_create(&StateLabels {
                    state: (*state).to_owned(),
                })
                .set(as_i64(*n));
        }
        let (flushes, total_ns, max_ns) = snapshot.flushes;
        self.store_flushes.set(as_i64(flushes));
        self.store_flush_seconds.set(total_ns as f64 / 1e9);
        self.store_flush_max_seconds.set(max_ns as f64 / 1e9);
        let p = &snapshot.plugins;
        self.instances_alive.set(as_i64(p.alive));
        self.instances_idle.set(as_i64(p.idle.instances));
        self.idle_bytes.set(as_i64(p.idle.bytes));
        self.instance_evictions.set(as_i64(p.idle.evictions));
        self.reinstantiations.set(as_i64(p.reinstantiated));
        self.reinstantiate_seconds
            .set(p.reinstantiate_nanos as f64 / 1e9);
        self.code_mapped_bytes.set(as_i64(p.code.bytes));
        self.code_evictions.set(as_i64(p.code.evictions));
        let mut out = String::new();
        if let Err(e) = prometheus_client::encoding::text::encode(&mut out, &self.registry) {
            tracing::error!(error = %e, "cannot encode metrics");
        }
        out
    }
}
