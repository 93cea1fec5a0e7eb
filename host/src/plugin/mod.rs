//! The plugin runtime: loads WebAssembly components that implement the
//! `hookshape:plugin/transformer` world and runs them on events, with limits on.
//!
//! This is the only module that names wasmtime; generated WIT types never leave it. Callers
//! see [`Runtime`], [`PluginCode`], [`Plugin`], [`Event`], [`Outcome`] and [`Failure`].
//!
//! Calls run on the plugin threads (`pool`), never on the caller's: async, under a wall-clock
//! deadline that covers host calls too, so a plugin that sleeps, spins or prints behaves the
//! same at start-up, in a request and in a delivery.
//!
//! Instance strategy: a [`Plugin`] (one per subscription) keeps a few configured instances
//! and reuses them across calls, because a fresh instance costs several times the transform
//! itself (see the runtime benchmark). Instances are never shared between subscriptions; an
//! instance is dropped after any trap and recycled after `recycle_after` calls, so state a
//! plugin keeps between events is bounded in time and never crosses subscriptions.

mod capture;
mod error;
mod instance;
mod limits;
mod load;
mod pool;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use wasmtime::component::{Component, Linker};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

pub use error::{Failure, LoadError, MESSAGE_BYTES};
pub use limits::{Ceilings, Limits, MIN_MEMORY_BYTES, MIN_TIMEOUT_MS};

use instance::{Instance, State};

mod bindings {
    wasmtime::component::bindgen!({
        path: "../wit/v0.1.0",
        world: "transformer",
        imports: { default: trappable },
        exports: { default: async },
    });
}

/// The world every plugin must implement.
pub const WORLD: &str = "hookshape:plugin/transformer@0.1.0";

/// Engine-wide settings.
#[derive(Debug, Clone)]
pub struct RuntimeConfig {
    /// Where precompiled artifacts are kept; `None` compiles on every load.
    pub cache_dir: Option<PathBuf>,
    /// Instances that may be alive at once across all plugins (pool slots).
    pub max_instances: u32,
    /// The largest limits any plugin may be given (set by the operator).
    pub ceilings: Ceilings,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        RuntimeConfig {
            cache_dir: None,
            max_instances: 256,
            ceilings: Ceilings::default(),
        }
    }
}

/// A runtime could not be built (bad engine settings, unusable cache directory).
#[derive(Debug, thiserror::Error)]
#[error("plugin runtime: {0}")]
pub struct RuntimeError(String);

/// Counters of the work the runtime did, for tests and metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RuntimeStats {
    /// Components compiled from wasm bytes.
    pub compiled: u64,
    /// Components loaded from a precompiled artifact on disk.
    pub deserialized: u64,
    /// Loads answered from memory.
    pub reused: u64,
    /// Instances created (each runs `configure`).
    pub instantiated: u64,
}

#[derive(Default)]
struct Counters {
    compiled: AtomicU64,
    deserialized: AtomicU64,
    reused: AtomicU64,
    instantiated: AtomicU64,
}

/// The engine, linker and cache shared by every plugin. Cheap to clone.
#[derive(Clone)]
pub struct Runtime {
    inner: Arc<Inner>,
}

struct Inner {
    engine: Engine,
    linker: Linker<State>,
    cache_dir: Option<PathBuf>,
    ceilings: Ceilings,
    loaded: Mutex<HashMap<String, Arc<PluginCode>>>,
    counters: Counters,
}

/// A checked, compiled component, ready to be configured for a subscription.
pub struct PluginCode {
    /// sha256 of the wasm bytes, hex: the plugin's id.
    pub id: String,
    /// Size of the wasm bytes.
    pub size: u64,
    pre: bindings::TransformerPre<State>,
}

impl Runtime {
    /// Builds the engine (pooling allocator, epoch interruption) and starts its epoch ticker.
    pub fn new(config: &RuntimeConfig) -> Result<Self, RuntimeError> {
        let err = |e: wasmtime::Error| RuntimeError(format!("{e:#}"));
        let mut pool = PoolingAllocationConfig::default();
        let slots = config.max_instances.max(1);
        // A Rust component holds a handful of core instances, one or two memories and tables.
        pool.total_component_instances(slots)
            // Each call in progress runs on a fiber stack of its own.
            .total_stacks(slots)
            .total_core_instances(slots * 8)
            .total_memories(slots * 2)
            .total_tables(slots * 4)
            .max_core_instances_per_component(16)
            .max_memories_per_component(2)
            .max_tables_per_component(8)
            .max_memory_size(usize::try_from(config.ceilings.memory_bytes).unwrap_or(usize::MAX))
            .linear_memory_keep_resident(1 << 20)
            .table_keep_resident(64 << 10);
        let mut wasm = Config::new();
        wasm.epoch_interruption(true)
            .allocation_strategy(InstanceAllocationStrategy::Pooling(pool))
            .max_wasm_stack(512 << 10)
            // A 4 GiB reserve per memory lets compiled code skip explicit bounds checks (every
            // 32-bit index lands in reserved, unmapped space); it is address space only.
            .memory_reservation(1 << 32)
            .memory_guard_size(32 << 20);
        let engine = Engine::new(&wasm).map_err(err)?;
        let mut linker = Linker::new(&engine);
        instance::add_host_to_linker(&mut linker).map_err(err)?;
        if let Some(dir) = &config.cache_dir {
            std::fs::create_dir_all(dir)
                .map_err(|e| RuntimeError(format!("cache dir {}: {e}", dir.display())))?;
        }
        spawn_epoch_ticker(&engine);
        Ok(Runtime {
            inner: Arc::new(Inner {
                engine,
                linker,
                cache_dir: config.cache_dir.clone(),
                ceilings: config.ceilings,
                loaded: Mutex::new(HashMap::new()),
                counters: Counters::default(),
            }),
        })
    }

    /// Checks and compiles wasm bytes (or finds them already compiled, in memory or on disk).
    pub fn load(&self, wasm: &[u8]) -> Result<Arc<PluginCode>, LoadError> {
        load::check_header(wasm)?;
        let id = crate::sign::sha256_hex(wasm);
        if let Some(code) = lock(&self.inner.loaded).get(&id) {
            self.inner.counters.reused.fetch_add(1, Ordering::Relaxed);
            return Ok(code.clone());
        }
        let engine = &self.inner.engine;
        let artifact = self
            .inner
            .cache_dir
            .as_ref()
            .map(|dir| load::artifact_path(dir, engine, &id));
        let cached = artifact
            .as_ref()
            .and_then(|p| load::read_artifact(engine, p));
        let component = match cached {
            Some(c) => {
                self.inner
                    .counters
                    .deserialized
                    .fetch_add(1, Ordering::Relaxed);
                c
            }
            None => {
                let c = Component::new(engine, wasm)
                    .map_err(|e| LoadError::Invalid(format!("{e:#}")))?;
                self.inner.counters.compiled.fetch_add(1, Ordering::Relaxed);
                c
            }
        };
        load::check_imports(engine, &component)?;
        load::check_exports(engine, &component)?;
        let pre = self
            .inner
            .linker
            .instantiate_pre(&component)
            .and_then(bindings::TransformerPre::new)
            .map_err(|e| LoadError::WrongWorld(format!("{e:#}")))?;
        if let (Some(path), false) = (&artifact, path_exists(artifact.as_ref())) {
            load::write_artifact(path, &component)?;
        }
        let code = Arc::new(PluginCode {
            id: id.clone(),
            size: wasm.len() as u64,
            pre,
        });
        lock(&self.inner.loaded).insert(id, code.clone());
        Ok(code)
    }

    /// The largest limits a plugin may be given.
    pub fn ceilings(&self) -> &Ceilings {
        &self.inner.ceilings
    }

    /// Configures a plugin for one subscription: creates its first instance and runs
    /// `configure(config)` on the plugin threads, so an invalid config is reported here.
    pub async fn prepare_async(
        &self,
        code: Arc<PluginCode>,
        config: &str,
        limits: Limits,
        options: PluginOptions,
    ) -> Result<Plugin, Failure> {
        limits
            .check(&self.inner.ceilings)
            .map_err(|detail| Failure::Limits { detail })?;
        let plugin = Plugin {
            inner: Arc::new(Prepared {
                runtime: self.clone(),
                code,
                config: config.to_owned(),
                limits,
                options,
                idle: Mutex::new(Vec::new()),
            }),
        };
        let first = {
            let plugin = plugin.clone();
            pool::run(async move { plugin.instantiate().await })
                .await
                .unwrap_or_else(|| Err(aborted()))?
        };
        plugin.release(first);
        Ok(plugin)
    }

    /// [`Runtime::prepare_async`] for synchronous callers: blocks this thread.
    pub fn prepare(
        &self,
        code: Arc<PluginCode>,
        config: &str,
        limits: Limits,
        options: PluginOptions,
    ) -> Result<Plugin, Failure> {
        let runtime = self.clone();
        let config = config.to_owned();
        pool::run_blocking(
            async move { runtime.prepare_async(code, &config, limits, options).await },
        )
        .unwrap_or_else(|| Err(aborted()))
    }

    /// What the runtime has done so far.
    pub fn stats(&self) -> RuntimeStats {
        let c = &self.inner.counters;
        RuntimeStats {
            compiled: c.compiled.load(Ordering::Relaxed),
            deserialized: c.deserialized.load(Ordering::Relaxed),
            reused: c.reused.load(Ordering::Relaxed),
            instantiated: c.instantiated.load(Ordering::Relaxed),
        }
    }

    /// Forgets a compiled plugin held in memory (its artifact on disk stays).
    pub fn unload(&self, id: &str) {
        lock(&self.inner.loaded).remove(id);
    }
}

fn path_exists(path: Option<&PathBuf>) -> bool {
    path.is_some_and(|p| p.exists())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding these locks cannot leave their maps inconsistent.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Advances the engine's epoch every millisecond; stops when the engine is dropped.
fn spawn_epoch_ticker(engine: &Engine) {
    let weak = engine.weak();
    std::thread::Builder::new()
        .name("plugin-epoch".into())
        .spawn(move || {
            while let Some(engine) = weak.upgrade() {
                engine.increment_epoch();
                drop(engine);
                std::thread::sleep(Duration::from_millis(1));
            }
        })
        .map(drop)
        .unwrap_or_else(|e| tracing::error!(error = %e, "cannot start the plugin epoch ticker"));
}

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
    inner: Arc<Prepared>,
}

struct Prepared {
    runtime: Runtime,
    code: Arc<PluginCode>,
    config: String,
    limits: Limits,
    options: PluginOptions,
    idle: Mutex<Vec<Instance>>,
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

fn aborted() -> Failure {
    Failure::Trap {
        message: "plugin call aborted: the plugin threads are not running".into(),
    }
}

fn failed(failure: Failure) -> CallReport {
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
        &self.inner.code.id
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
        let taken = lock(&self.inner.idle).pop();
        let mut instance = match taken {
            Some(i) => i,
            None => match self.instantiate().await {
                Ok(i) => i,
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

    async fn instantiate(&self) -> Result<Instance, Failure> {
        let inner = &self.inner;
        inner
            .runtime
            .inner
            .counters
            .instantiated
            .fetch_add(1, Ordering::Relaxed);
        Instance::new(&inner.code.pre, &inner.config, &inner.limits).await
    }

    fn release(&self, instance: Instance) {
        if instance.calls >= self.inner.options.recycle_after {
            return;
        }
        let mut idle = lock(&self.inner.idle);
        if idle.len() < self.inner.options.max_idle {
            idle.push(instance);
        }
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
