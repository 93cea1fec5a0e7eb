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
//! Instance strategy: a [`Plugin`] (one per subscription) reuses configured instances across
//! calls, because a fresh instance costs several times the transform itself (see the runtime
//! benchmark). Idle instances of every plugin share one memory budget (`idle`): the least
//! recently used are dropped and re-created (instantiate + `configure`) on demand, so memory
//! follows the budget, not the number of subscriptions. Instances are never shared between
//! subscriptions; an instance is dropped after any trap and recycled after `recycle_after`
//! calls, so state a plugin keeps between events is bounded in time and never crosses
//! subscriptions.

mod builtins;
mod call;
mod capture;
mod code;
mod error;
mod idle;
mod instance;
mod limits;
mod load;
mod pool;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use wasmtime::component::{Component, Linker};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

pub use builtins::{Builtin, Builtins, PREFIX as BUILTIN_PREFIX};
pub use call::{CallReport, Event, Level, LogLine, Outcome, OwnedEvent, Plugin, PluginOptions};
use call::{Prepared, aborted};
pub use code::CodeStats;
use error::bounded;
pub use error::{Failure, LoadError, MESSAGE_BYTES, cut};
pub use idle::IdleStats;
pub use limits::{Ceilings, Limits, MIN_MEMORY_BYTES, MIN_TIMEOUT_MS};

use code::RecentCode;
use idle::IdleCache;
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
    /// Where the built-in transforms' components are (`{name}.wasm`); `None`: no built-ins.
    pub builtins_dir: Option<PathBuf>,
    /// Instances that may be alive at once across all plugins (pool slots).
    pub max_instances: u32,
    /// Memory that idle instances and mapped code of all plugins together may keep, in
    /// bytes: half for each.
    pub memory_budget: u64,
    /// The largest limits any plugin may be given (set by the operator).
    pub ceilings: Ceilings,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        RuntimeConfig {
            cache_dir: None,
            builtins_dir: None,
            max_instances: 256,
            memory_budget: DEFAULT_MEMORY_BUDGET,
            ceilings: Ceilings::default(),
        }
    }
}

/// The default memory budget for idle instances.
pub const DEFAULT_MEMORY_BUDGET: u64 = 256 << 20;

impl RuntimeConfig {
    /// Pool slots for a memory budget: one per MiB it can keep idle (a Rust plugin's memory
    /// starts at about 1 MiB), plus room for calls in progress on fresh instances.
    pub fn slots_for(memory_budget: u64) -> u32 {
        u32::try_from((memory_budget >> 20).saturating_add(256))
            .unwrap_or(u32::MAX)
            .min(16_384)
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
    /// Instances created for a call because the plugin had none idle (after an eviction, a
    /// trap, a recycle or while its others were busy), and the time they took in total.
    pub reinstantiated: u64,
    pub reinstantiate_nanos: u64,
    /// Instances alive now (idle or in a call).
    pub alive: u64,
    /// Idle instances kept, their weight, and how many were dropped to keep to the budget.
    pub idle: IdleStats,
    /// Compiled plugins kept mapped, their size, and how many were unmapped.
    pub code: CodeStats,
}

#[derive(Default)]
struct Counters {
    compiled: AtomicU64,
    deserialized: AtomicU64,
    reused: AtomicU64,
    instantiated: AtomicU64,
    reinstantiated: AtomicU64,
    reinstantiate_nanos: AtomicU64,
    alive: Arc<AtomicU64>,
    serial: AtomicU64,
}

/// Counts an instance alive until it is dropped.
pub(crate) struct Alive(Arc<AtomicU64>);

impl Alive {
    fn new(count: &Arc<AtomicU64>) -> Self {
        count.fetch_add(1, Ordering::Relaxed);
        Alive(count.clone())
    }
}

impl Drop for Alive {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
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
    /// Compiled plugins in use; one no subscription holds is freed (and its code, mapped
    /// from the artifact on disk, costs nothing until loaded again).
    loaded: Mutex<HashMap<String, Weak<PluginCode>>>,
    counters: Counters,
    idle: IdleCache,
    code: RecentCode,
    slots: u64,
    builtins: Builtins,
}

/// A checked, compiled component, ready to be configured for a subscription.
pub struct PluginCode {
    /// sha256 of the wasm bytes, hex: the plugin's id.
    pub id: String,
    /// Size of the wasm bytes.
    pub size: u64,
    /// Size of the compiled image in memory (its artifact's size).
    mapped: u64,
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
            // Memory a free slot keeps mapped (to reset it faster) is bounded to a quarter of
            // the budget over all slots, so freed instances give their memory back.
            .linear_memory_keep_resident(keep_resident(config.memory_budget, slots))
            .table_keep_resident(16 << 10);
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
                idle: IdleCache::new(config.memory_budget / 2),
                code: RecentCode::new(config.memory_budget / 2),
                slots: u64::from(slots),
                builtins: config
                    .builtins_dir
                    .as_deref()
                    .map(Builtins::find)
                    .unwrap_or_default(),
            }),
        })
    }

    /// Checks and compiles wasm bytes (or finds them already compiled, in memory or on disk).
    pub fn load(&self, wasm: &[u8]) -> Result<Arc<PluginCode>, LoadError> {
        load::check_header(wasm)?;
        let id = crate::sign::sha256_hex(wasm);
        if let Some(code) = self.in_memory(&id) {
            return Ok(code);
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
        let wrong_world = |e: wasmtime::Error| LoadError::WrongWorld(format!("{e:#}"));
        let mut pre = self.pre(&component).map_err(wrong_world)?;
        if let (Some(path), false) = (&artifact, path_exists(artifact.as_ref())) {
            load::write_artifact(path, &component)?;
            // Freshly compiled code lives in anonymous memory; mapped from its artifact it is
            // clean, shared, file-backed pages the kernel can drop and reload.
            if let Some(from_file) = load::read_artifact(engine, path) {
                pre = self.pre(&from_file).map_err(wrong_world)?;
            }
        }
        let mapped = artifact
            .as_ref()
            .and_then(|p| std::fs::metadata(p).ok())
            .map_or(wasm.len() as u64 * 3, |m| m.len());
        Ok(self.remember(PluginCode {
            id,
            size: wasm.len() as u64,
            mapped,
            pre,
        }))
    }

    /// Loaded code some subscription still uses, counted as reused.
    fn in_memory(&self, id: &str) -> Option<Arc<PluginCode>> {
        let code = lock(&self.inner.loaded).get(id).and_then(Weak::upgrade)?;
        self.inner.counters.reused.fetch_add(1, Ordering::Relaxed);
        Some(code)
    }

    /// A component's instantiation, checked against the world.
    fn pre(&self, component: &Component) -> wasmtime::Result<bindings::TransformerPre<State>> {
        self.inner
            .linker
            .instantiate_pre(component)
            .and_then(bindings::TransformerPre::new)
    }

    /// Keeps a weak handle to loaded code, so the next load of the same id finds it while
    /// something uses it (dead handles are swept as the map doubles).
    fn remember(&self, code: PluginCode) -> Arc<PluginCode> {
        let code = Arc::new(code);
        let mut loaded = lock(&self.inner.loaded);
        if loaded.len() >= 64 && loaded.len().is_power_of_two() {
            loaded.retain(|_, c| c.strong_count() > 0);
        }
        loaded.insert(code.id.clone(), Arc::downgrade(&code));
        code
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
                serial: self.inner.counters.serial.fetch_add(1, Ordering::Relaxed),
                code_id: code.id.clone(),
                // Without artifacts on disk, code cannot be mapped again: it stays.
                pinned: self.inner.cache_dir.is_none().then(|| code.clone()),
                config: config.to_owned(),
                limits,
                options,
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
            reinstantiated: c.reinstantiated.load(Ordering::Relaxed),
            reinstantiate_nanos: c.reinstantiate_nanos.load(Ordering::Relaxed),
            alive: c.alive.load(Ordering::Relaxed),
            idle: self.inner.idle.stats(),
            code: self.inner.code.stats(),
        }
    }

    /// Forgets a compiled plugin held in memory (its artifact on disk stays).
    pub fn unload(&self, id: &str) {
        lock(&self.inner.loaded).remove(id);
        self.inner.code.forget(id);
    }

    /// A plugin's code by id when it is in memory or precompiled on disk (no wasm bytes to
    /// read and hash): what a restart uses for each subscription.
    pub fn load_id(&self, id: &str) -> Option<Arc<PluginCode>> {
        if let Some(code) = self.in_memory(id) {
            return Some(code);
        }
        self.inner.cache_dir.as_ref()?;
        self.code(id).ok()
    }

    /// A loaded plugin's code: in memory, or mapped again from its artifact.
    fn code(&self, id: &str) -> Result<Arc<PluginCode>, Failure> {
        if let Some(code) = lock(&self.inner.loaded).get(id).and_then(Weak::upgrade) {
            return Ok(code);
        }
        let missing = || Failure::Instantiate {
            detail: format!("the compiled plugin {id} is no longer available"),
        };
        let dir = self.inner.cache_dir.as_ref().ok_or_else(missing)?;
        let engine = &self.inner.engine;
        let path = load::artifact_path(dir, engine, id);
        let component = load::read_artifact(engine, &path).ok_or_else(missing)?;
        self.inner
            .counters
            .deserialized
            .fetch_add(1, Ordering::Relaxed);
        let pre = self.pre(&component).map_err(|e| Failure::Instantiate {
            detail: bounded(format!("{e:#}")),
        })?;
        Ok(self.remember(PluginCode {
            id: id.to_owned(),
            size: 0,
            mapped: std::fs::metadata(&path).map_or(0, |m| m.len()),
            pre,
        }))
    }
}

/// Bytes of linear memory a free pool slot keeps resident: at most 1 MiB, and all slots
/// together at most a quarter of the budget; whole pages.
fn keep_resident(budget: u64, slots: u32) -> usize {
    let per_slot = (budget / 4 / u64::from(slots.max(1))).min(1 << 20);
    usize::try_from(per_slot & !0xfff).unwrap_or(0)
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
