//! The in-memory view of subscriptions the dispatcher works from: each with its prepared
//! plugin and its own concurrency limit.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use tokio::sync::Semaphore;

use crate::model::Subscription;
use crate::plugin::{Failure, LoadError, Plugin, PluginCode, PluginOptions, Runtime};
use crate::store::{Store, StoreError};

/// A subscription as the dispatcher uses it.
pub struct Live {
    pub sub: Subscription,
    /// The prepared plugin, if the subscription has one.
    pub plugin: Option<Arc<Plugin>>,
    /// Why the plugin could not be prepared (its deliveries fail with this reason).
    pub plugin_error: Option<String>,
    /// The candidate plugin, prepared, or why it could not be.
    pub candidate: Option<Result<Arc<Plugin>, String>>,
    /// The candidate's comparisons (kept while the same candidate stays).
    pub shadow: Arc<super::shadow::Shadow>,
    /// Attempts in flight for this subscription.
    pub permits: Arc<Semaphore>,
    /// Earliest time a job of this subscription may be due: 0 when it is on the agenda's
    /// ready list, `u64::MAX` while the scheduler needs a poke to look again.
    pub next_due_ms: AtomicU64,
    /// The time of its entry on the agenda's timers, 0 for none (one entry per time).
    pub timer_at: AtomicU64,
    /// Its circuit breaker and pace (kept when the subscription is changed).
    pub circuit: Arc<super::circuit::Circuit>,
    /// Its endpoint's recent attempts (kept when the subscription is changed).
    pub health: Arc<super::health::Health>,
    /// Its pending deliveries by key, when it orders deliveries (`ordering`).
    pub ordered: Option<Arc<super::ordering::Ordered>>,
    /// Attempts in flight to its endpoint's host (and port), shared by every subscription
    /// that points there: a receiver is not sent more than that at once.
    pub host_permits: Arc<Semaphore>,
    /// Attempts in flight for its workspace, shared by the workspace's subscriptions: one
    /// customer's backlog cannot take every overall slot.
    pub workspace_permits: Arc<Semaphore>,
    agenda: Arc<Agenda>,
}

/// Which subscriptions the scheduler must look at: the ones poked (a job may be due now),
/// the ones whose next job falls due at a time, and the ones that found no free slot
/// overall. The scheduler visits only these, never every subscription.
#[derive(Default)]
pub struct Agenda {
    inner: std::sync::Mutex<AgendaInner>,
}

#[derive(Default)]
struct AgendaInner {
    ready: Vec<String>,
    timers: std::collections::BinaryHeap<std::cmp::Reverse<(u64, String)>>,
    /// Waiting for a slot of the overall limit (any finishing attempt frees one), oldest
    /// first.
    starved: std::collections::VecDeque<String>,
}

impl Agenda {
    fn lock(&self) -> std::sync::MutexGuard<'_, AgendaInner> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn ready(&self, id: &str) {
        self.lock().ready.push(id.to_owned());
    }

    /// Look at `id` again at `at_ms`.
    pub fn at(&self, at_ms: u64, id: &str) {
        self.lock()
            .timers
            .push(std::cmp::Reverse((at_ms, id.to_owned())));
    }

    /// Look at `id` once a slot of the overall limit is free.
    pub fn starved(&self, id: &str) {
        self.lock().starved.push_back(id.to_owned());
    }

    /// The subscriptions to look at now (with the timer time that brought each, if one
    /// did), and when the next timer falls due. `slots_free` slots of the overall limit
    /// bring back as many starved subscriptions, oldest first (each takes at least one).
    pub fn take_due(&self, now_ms: u64, slots_free: usize) -> (Vec<(String, u64)>, Option<u64>) {
        let mut inner = self.lock();
        let mut due: Vec<(String, u64)> = inner.ready.drain(..).map(|id| (id, 0)).collect();
        let revived = slots_free.min(inner.starved.len());
        due.extend(inner.starved.drain(..revived).map(|id| (id, 0)));
        while let Some(std::cmp::Reverse((t, _))) = inner.timers.peek() {
            if *t > now_ms {
                break;
            }
            if let Some(std::cmp::Reverse((t, id))) = inner.timers.pop() {
                due.push((id, t));
            }
        }
        let next = inner.timers.peek().map(|std::cmp::Reverse((t, _))| *t);
        (due, next)
    }
}

/// Why a plugin could not be set up for a subscription.
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    #[error("unknown plugin `{0}`")]
    UnknownPlugin(String),
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Config(#[from] Failure),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl PrepareError {
    /// True when the plugin itself is to blame (its code, its config or its limits), so
    /// trying again cannot help; false for missing plugins and host-side trouble.
    pub fn is_plugins_fault(&self) -> bool {
        match self {
            PrepareError::Config(f) => !matches!(f, Failure::Instantiate { .. }),
            PrepareError::Load(e) => !matches!(e, LoadError::Cache(_)),
            PrepareError::UnknownPlugin(_) | PrepareError::Store(_) => false,
        }
    }
}

/// Subscriptions in service, by id and by workspace (publishing looks at the event's
/// workspace and its parent only, never at all subscriptions).
pub struct Registry {
    maps: RwLock<Maps>,
    agenda: Arc<Agenda>,
    /// Attempts in flight per workspace, at most `per_workspace` each.
    per_workspace: usize,
    workspace_permits: std::sync::Mutex<HashMap<String, Arc<Semaphore>>>,
    /// Attempts in flight per endpoint host, at most `per_host` each.
    per_host: usize,
    host_permits: std::sync::Mutex<HashMap<String, Arc<Semaphore>>>,
}

#[derive(Default)]
struct Maps {
    by_id: HashMap<String, Arc<Live>>,
    by_workspace: HashMap<String, HashMap<String, Arc<Live>>>,
}

impl Registry {
    pub fn new(per_workspace: usize, per_host: usize) -> Self {
        Registry {
            maps: RwLock::default(),
            agenda: Arc::default(),
            per_workspace: per_workspace.max(1),
            workspace_permits: std::sync::Mutex::default(),
            per_host: per_host.max(1),
            host_permits: std::sync::Mutex::default(),
        }
    }

    pub fn get(&self, id: &str) -> Option<Arc<Live>> {
        self.read().by_id.get(id).cloned()
    }

    /// Every subscription in service.
    pub fn all(&self) -> Vec<Arc<Live>> {
        self.read().by_id.values().cloned().collect()
    }

    /// What the scheduler must look at.
    pub fn agenda(&self) -> &Arc<Agenda> {
        &self.agenda
    }

    /// Enabled subscriptions of these workspaces that want this event (same mode, live or
    /// test; a matching type; changed fields).
    pub fn matching(&self, workspaces: &[&str], event: &crate::model::Event) -> Vec<Arc<Live>> {
        let maps = self.read();
        workspaces
            .iter()
            .filter_map(|ws| maps.by_workspace.get(*ws))
            .flat_map(HashMap::values)
            .filter(|l| l.sub.wants(event))
            .cloned()
            .collect()
    }

    pub fn insert(&self, mut live: Live) -> Arc<Live> {
        let mut maps = self.write();
        // A changed subscription keeps its circuit: its endpoint is the same judge's.
        if let Some(old) = maps.by_id.get(&live.sub.id) {
            live.circuit = old.circuit.clone();
            live.health = old.health.clone();
            // The same candidate (started at the same time): its comparisons go on counting.
            let started = |l: &Live| l.sub.candidate.as_ref().map(|c| c.started_ms);
            if started(old).is_some() && started(old) == started(&live) {
                live.shadow = old.shadow.clone();
            }
            // The same key: what the old one learnt since the store was read still counts.
            if old.sub.ordering == live.sub.ordering && old.ordered.is_some() {
                live.ordered = old.ordered.clone();
            }
        }
        live.workspace_permits = self
            .workspace_permits
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(live.sub.workspace.clone())
            .or_insert_with(|| Arc::new(Semaphore::new(self.per_workspace)))
            .clone();
        let host = url::Url::parse(&live.sub.url)
            .ok()
            .and_then(|u| Some(format!("{}:{}", u.host_str()?, u.port_or_known_default()?)))
            .unwrap_or_default();
        live.host_permits = self
            .host_permits
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(host)
            .or_insert_with(|| Arc::new(Semaphore::new(self.per_host)))
            .clone();
        let live = Arc::new(live);
        if let Some(old) = maps.by_id.insert(live.sub.id.clone(), live.clone())
            && old.sub.workspace != live.sub.workspace
            && let Some(ws) = maps.by_workspace.get_mut(&old.sub.workspace)
        {
            ws.remove(&old.sub.id);
        }
        maps.by_workspace
            .entry(live.sub.workspace.clone())
            .or_default()
            .insert(live.sub.id.clone(), live.clone());
        drop(maps);
        // New or changed: its queue may hold due jobs.
        self.agenda.ready(&live.sub.id);
        live
    }

    pub fn remove(&self, id: &str) -> Option<Arc<Live>> {
        let mut maps = self.write();
        let old = maps.by_id.remove(id)?;
        if let Some(ws) = maps.by_workspace.get_mut(&old.sub.workspace) {
            ws.remove(id);
            if ws.is_empty() {
                maps.by_workspace.remove(&old.sub.workspace);
            }
        }
        Some(old)
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Maps> {
        self.maps
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Maps> {
        self.maps
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Prepares the plugin a subscription names: loads its wasm from the store (compiled once per
/// process, precompiled on disk) and runs its `configure`.
pub async fn prepare_plugin(
    store: &Store,
    runtime: &Runtime,
    sub: &Subscription,
    options: PluginOptions,
) -> Result<Option<Arc<Plugin>>, PrepareError> {
    let Some(plugin) = &sub.plugin else {
        return Ok(None);
    };
    prepare_ref(store, runtime, &sub.workspace, plugin, options)
        .await
        .map(Some)
}

/// Whether `workspace` may use plugin `id`: a built-in, or one uploaded in it.
pub async fn may_use(
    store: &Store,
    runtime: &Runtime,
    workspace: &str,
    id: &str,
) -> Result<bool, StoreError> {
    Ok(runtime.builtins().get(id).is_some() || store.plugin_in(workspace, id).await?.is_some())
}

/// The code of a plugin `workspace` may use: a built-in (compiled once), or one uploaded in
/// it — in memory, precompiled on disk, or compiled now from its wasm. `None` when the
/// workspace has no such plugin.
pub async fn plugin_code(
    store: &Store,
    runtime: &Runtime,
    workspace: &str,
    id: &str,
) -> Result<Option<Arc<PluginCode>>, PrepareError> {
    if let Some(builtin) = runtime.builtin_code(id).await {
        return Ok(Some(builtin?));
    }
    if store.plugin_in(workspace, id).await?.is_none() {
        return Ok(None);
    }
    if let Some(code) = runtime.load_id(id) {
        return Ok(Some(code));
    }
    let Some(wasm) = store.plugin_wasm(id).await? else {
        return Ok(None);
    };
    let runtime = runtime.clone();
    let code = tokio::task::spawn_blocking(move || runtime.load(&wasm))
        .await
        .map_err(|e| LoadError::Cache(format!("compiling was interrupted: {e}")))??;
    Ok(Some(code))
}

/// Prepares one plugin reference of a subscription in `workspace` (its plugin or candidate).
pub async fn prepare_ref(
    store: &Store,
    runtime: &Runtime,
    workspace: &str,
    plugin: &crate::model::PluginRef,
    options: PluginOptions,
) -> Result<Arc<Plugin>, PrepareError> {
    let code = plugin_code(store, runtime, workspace, &plugin.id)
        .await?
        .ok_or_else(|| PrepareError::UnknownPlugin(plugin.id.clone()))?;
    let prepared = runtime
        .prepare_async(code, &plugin.config.to_string(), plugin.limits, options)
        .await?;
    Ok(Arc::new(prepared))
}

impl Live {
    pub fn new(
        sub: Subscription,
        plugin: Result<Option<Arc<Plugin>>, PrepareError>,
        candidate: Option<Result<Arc<Plugin>, String>>,
        concurrency: usize,
        agenda: Arc<Agenda>,
    ) -> Self {
        let (plugin, plugin_error) = match plugin {
            Ok(p) => (p, None),
            Err(e) => (None, Some(e.to_string())),
        };
        Live {
            sub,
            plugin,
            plugin_error,
            candidate,
            shadow: Arc::default(),
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            next_due_ms: AtomicU64::new(0),
            timer_at: AtomicU64::new(0),
            circuit: Arc::default(),
            health: Arc::default(),
            ordered: None,
            host_permits: Arc::new(Semaphore::new(Semaphore::MAX_PERMITS)),
            workspace_permits: Arc::new(Semaphore::new(Semaphore::MAX_PERMITS)),
            agenda,
        }
    }

    /// Marks that a job may be due now: puts it on the agenda's ready list, unless it is
    /// there already.
    pub fn poke(&self) {
        if self.next_due_ms.swap(0, Ordering::AcqRel) != 0 {
            self.agenda.ready(&self.sub.id);
        }
    }
}
