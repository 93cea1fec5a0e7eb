//! A prepared plugin and its calls: an event in, a body, headers and logs (or a failure)
//! out, on a pooled or fresh instance.

use super::*;

/// How a [`Plugin`] manages its instances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PluginOptions {
    /// Calls after which an instance is replaced by a fresh one (1 = fresh per event).
    pub recycle_after: u64,
    /// Idle instances kept for reuse (calls beyond this run on extra, short-lived instances).
    pub max_idle: usize,
}

impl Default for PluginOptions {
    fn default() -> Self {
        PluginOptions {
            recycle_after: 10_000,
            max_idle: 4,
        }
    }
}

/// A plugin configured for one subscription. Cheap to clone; calls may run concurrently, each
/// on its own instance.
#[derive(Clone)]
pub struct Plugin {
    pub(super) inner: Arc<Prepared>,
}

pub(super) struct Prepared {
    pub(super) runtime: Runtime,
    /// This plugin's key in the runtime's idle cache.
    pub(super) serial: u64,
    pub(super) code_id: String,
    pub(super) pinned: Option<Arc<PluginCode>>,
    pub(super) config: String,
    pub(super) limits: Limits,
    pub(super) options: PluginOptions,
}

impl Drop for Prepared {
    /// A deleted or changed subscription frees its instances at once.
    fn drop(&mut self) {
        self.runtime.inner.idle.forget(self.serial);
    }
}

/// One event as a plugin sees it, borrowed from the caller.
#[derive(Debug, Clone, Copy)]
pub struct Event<'a> {
    pub id: &'a str,
    pub event_type: &'a str,
    pub occurred_at: &'a str,
    pub tenant: Option<&'a str>,
    /// JSON text of the object after the change.
    pub object: &'a str,
    /// JSON text of the object before the change.
    pub previous: Option<&'a str>,
    pub changed_fields: &'a [String],
    pub attempt_id: &'a str,
    pub attempt: u32,
}

/// What a plugin decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Drop,
    Deliver {
        body: String,
        headers: Vec<(String, String)>,
    },
}

/// Severity of a plugin log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
}

/// One line a plugin logged during a call.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LogLine {
    pub level: Level,
    pub message: String,
}

/// The result of one call, with what it cost and what the plugin logged.
#[derive(Debug, Clone)]
pub struct CallReport {
    pub result: Result<Outcome, Failure>,
    pub logs: Vec<LogLine>,
    /// What the plugin printed to stdout and stderr during the call (bounded).
    pub output: String,
    /// Wall time of the call (including instantiation when a fresh instance was needed).
    pub duration: Duration,
    /// Linear memory of the instance after the call (its peak: wasm memory never shrinks).
    pub memory_bytes: u64,
}

pub(super) fn aborted() -> Failure {
    Failure::Trap {
        message: "plugin call aborted: the plugin threads are not running".into(),
    }
}

pub(super) fn failed(failure: Failure) -> CallReport {
    CallReport {
        result: Err(failure),
        logs: Vec::new(),
        output: String::new(),
        duration: Duration::ZERO,
        memory_bytes: 0,
    }
}

impl Plugin {
    /// The id of the plugin's code.
    pub fn code_id(&self) -> &str {
        &self.inner.code_id
    }

    /// The limits this plugin runs under.
    pub fn limits(&self) -> &Limits {
        &self.inner.limits
    }

    /// Runs `transform` on one event on the plugin threads; returns within about the time
    /// limit whatever the plugin does.
    pub async fn transform_async(&self, event: OwnedEvent) -> CallReport {
        let plugin = self.clone();
        pool::run(async move { plugin.call(&event.borrow()).await })
            .await
            .unwrap_or_else(|| failed(aborted()))
    }

    /// [`Plugin::transform_async`] for synchronous callers: blocks this thread.
    pub fn transform(&self, event: &Event<'_>) -> CallReport {
        let plugin = self.clone();
        let event = event.owned();
        pool::run_blocking(async move { plugin.call(&event.borrow()).await })
            .unwrap_or_else(|| failed(aborted()))
    }

    async fn call(&self, event: &Event<'_>) -> CallReport {
        let started = std::time::Instant::now();
        let runtime = &self.inner.runtime.inner;
        let taken = runtime.idle.take(self.inner.serial);
        let mut instance = match taken {
            Some(i) => i,
            None => match self.instantiate().await {
                Ok(i) => {
                    let c = &runtime.counters;
                    c.reinstantiated.fetch_add(1, Ordering::Relaxed);
                    let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
                    c.reinstantiate_nanos.fetch_add(nanos, Ordering::Relaxed);
                    i
                }
                Err(failure) => {
                    return CallReport {
                        duration: started.elapsed(),
                        ..failed(failure)
                    };
                }
            },
        };
        let called = instance.transform(event, &self.inner.limits).await;
        if called.healthy {
            self.release(instance);
        }
        CallReport {
            result: called.result,
            logs: called.logs,
            output: called.output,
            duration: started.elapsed(),
            memory_bytes: called.memory_bytes,
        }
    }

    pub(super) async fn instantiate(&self) -> Result<Instance, Failure> {
        let inner = &self.inner;
        let runtime = &inner.runtime.inner;
        let counters = &runtime.counters;
        counters.instantiated.fetch_add(1, Ordering::Relaxed);
        // Idle instances give way to one that is needed now: a full pool would fail the call.
        let alive = counters.alive.load(Ordering::Relaxed);
        if alive >= runtime.slots {
            let excess = usize::try_from(alive + 1 - runtime.slots).unwrap_or(usize::MAX);
            runtime.idle.evict_oldest(excess);
        }
        let code = match &inner.pinned {
            Some(code) => code.clone(),
            None => inner.runtime.code(&inner.code_id)?,
        };
        runtime.code.touch(&code);
        let alive = Alive::new(&counters.alive);
        Instance::new(&code.pre, &inner.config, &inner.limits, alive).await
    }

    pub(super) fn release(&self, instance: Instance) {
        if instance.calls >= self.inner.options.recycle_after {
            return;
        }
        self.inner
            .runtime
            .inner
            .idle
            .put(self.inner.serial, instance, self.inner.options.max_idle);
    }
}

/// An owned [`Event`], for calls that cross threads.
#[derive(Debug, Clone, Default)]
pub struct OwnedEvent {
    pub id: String,
    pub event_type: String,
    pub occurred_at: String,
    pub tenant: Option<String>,
    pub object: String,
    pub previous: Option<String>,
    pub changed_fields: Vec<String>,
    pub attempt_id: String,
    pub attempt: u32,
}

impl Event<'_> {
    /// An owned copy, for calls that cross threads.
    pub fn owned(&self) -> OwnedEvent {
        OwnedEvent {
            id: self.id.to_owned(),
            event_type: self.event_type.to_owned(),
            occurred_at: self.occurred_at.to_owned(),
            tenant: self.tenant.map(str::to_owned),
            object: self.object.to_owned(),
            previous: self.previous.map(str::to_owned),
            changed_fields: self.changed_fields.to_vec(),
            attempt_id: self.attempt_id.to_owned(),
            attempt: self.attempt,
        }
    }
}

impl OwnedEvent {
    /// Borrows it as an [`Event`].
    pub fn borrow(&self) -> Event<'_> {
        Event {
            id: &self.id,
            event_type: &self.event_type,
            occurred_at: &self.occurred_at,
            tenant: self.tenant.as_deref(),
            object: &self.object,
            previous: self.previous.as_deref(),
            changed_fields: &self.changed_fields,
            attempt_id: &self.attempt_id,
            attempt: self.attempt,
        }
    }
}
