//! The embedded engine: everything in the data directory, nothing else to run.
//!
//! Records live in the trees of one keyspace ([`kv`]: fjall, an LSM tree with one journal):
//! small, often-changed records (subscriptions, deliveries, queues, indexes and event
//! markers) in the main tree (see [`keys`] for the layout); event bodies, attempt records and
//! object snapshots in trees of their own. Plugin wasm, large and rarely read, lives in
//! files beside it ([`wasm_files`]). A data directory of an earlier release (sled, in `db/`)
//! is copied over once at open ([`from_sled`]).
//!
//! A publish is one atomic batch: its event, deliveries, their indexes and jobs, and the
//! event's marker appear together or not at all, so a crash never leaves half of one. It
//! returns once the batch is durable ([`commit`]: one fdatasync shared by concurrent
//! publishers); later writes (attempts, rescheduling) ride on the flush thread's periodic
//! sync (every 20 ms), which at worst repeats an attempt after a crash — at-least-once,
//! never lost. The job queues are also kept in memory ([`queue`]), so finding due jobs
//! reads no tree.

mod catalog;
mod claims;
mod commit;
mod engine_impl;
mod from_sled;
mod jobs;
mod keys;
mod kv;
mod queue;
mod reads;
mod snapshots;
mod tenancy;
#[cfg(test)]
mod tests;
mod wasm_files;

use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use super::engine::DueJobs;
use super::{Result, StoreError, decode, encode};
use crate::model::{PluginRecord, Subscription};
use kv::{Kv, Tree};

/// The embedded engine. Cheap to clone.
#[derive(Clone)]
pub struct EmbeddedStore {
    kv: Kv,
    tree: Tree,
    /// Event bodies by event key.
    events: Tree,
    /// Attempt records by `{delivery}/{number}`.
    attempts: Tree,
    /// Object snapshots by key: the time written (8 bytes, big-endian ms), then the object.
    snapshots: Tree,
    /// Plugin wasm by plugin id.
    wasm: Arc<wasm_files::WasmFiles>,
    /// The `q/` keys, in memory.
    queues: Arc<queue::Queues>,
    commit: Arc<commit::GroupCommit>,
    _closer: Arc<Closer>,
}

/// How long an open waits for a lock held in this process to go.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// Stops the flush thread with the last handle, then lets the directory go.
struct Closer(Arc<commit::GroupCommit>, #[allow(dead_code)] kv::DirLock);

impl Drop for Closer {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// The record at `key` in `tree`.
fn get_in<T: DeserializeOwned>(tree: &Tree, key: &[u8]) -> Result<Option<T>> {
    match tree.get(key)? {
        Some(bytes) => decode(key, &bytes).map(Some),
        None => Ok(None),
    }
}

/// Every record in `tree` whose key starts with `prefix`, in key order.
fn scan_in<T: DeserializeOwned>(tree: &Tree, prefix: &[u8]) -> Result<Vec<T>> {
    tree.scan_prefix(prefix)
        .map(|kv| {
            let (k, v) = kv?;
            decode(&k, &v)
        })
        .collect()
}

impl EmbeddedStore {
    /// Opens (or creates) the engine in `dir`, copying over a data directory of an earlier
    /// release first.
    pub fn open(dir: &Path) -> Result<Self> {
        // The lock goes with the last handle, and the flush thread holds one for a moment
        // after a store is dropped: an open in the same process (a restart, a test) waits
        // that moment out. Another process holding it is reported once this has passed.
        let deadline = std::time::Instant::now() + LOCK_WAIT;
        let lock = loop {
            match kv::DirLock::acquire(&dir.join("store.lock")) {
                Err(StoreError::Locked(_)) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(StoreError::Locked(_)) => {
                    return Err(StoreError::Locked(dir.display().to_string()));
                }
                other => break other?,
            }
        };
        let wasm = Arc::new(wasm_files::WasmFiles::open(dir)?);
        let kv_dir = dir.join("kv");
        from_sled::copy_if_older(dir, &kv_dir, &wasm)?;
        let kv = Kv::open(&kv_dir)?;
        let commit = commit::GroupCommit::start(kv.clone());
        let store = EmbeddedStore {
            queues: Arc::new(queue::Queues::default()),
            tree: kv.tree("main")?,
            events: kv.tree("events")?,
            attempts: kv.tree("attempts")?,
            snapshots: kv.tree("snapshots")?,
            wasm,
            kv,
            commit: commit.clone(),
            _closer: Arc::new(Closer(commit, lock)),
        };
        store.kv.sync_layout(&kv_dir)?;
        store.upgrade()?;
        let undone = store.finish_cut_publishes()?;
        if undone > 0 {
            tracing::warn!(
                publishes = undone,
                "undid publishes a crash cut short (never acknowledged)"
            );
        }
        store.flush_sync()?;
        for kv in store.tree.scan_prefix(keys::QUEUES) {
            let (k, _) = kv?;
            if let Some((sub, due, id)) = keys::split_queue(&k) {
                store.queues.add(&sub, due, &id);
            }
        }
        Ok(store)
    }

    /// Whether `dir` holds a store (or an earlier release's, still to be copied over).
    pub fn exists_in(dir: &Path) -> bool {
        dir.join("kv").exists() || dir.join("db").exists()
    }

    fn get<T: DeserializeOwned>(&self, key: &[u8]) -> Result<Option<T>> {
        get_in(&self.tree, key)
    }

    fn scan<T: DeserializeOwned>(&self, prefix: &[u8]) -> Result<Vec<T>> {
        scan_in(&self.tree, prefix)
    }

    /// Makes everything written so far durable now, on the caller's thread (rare writes).
    fn flush_sync(&self) -> Result<()> {
        self.commit.flush_now().map_err(StoreError::Flush)
    }

    /// Waits for everything written so far to be on disk (one fsync shared by all waiting).
    async fn durable(&self) -> Result<()> {
        self.commit.durable().await.map_err(StoreError::Flush)
    }

    // --- plugins ---

    fn put_plugin(&self, record: &PluginRecord, wasm: &[u8]) -> Result<PluginRecord> {
        let key = keys::plugin(&record.id);
        if let Some(existing) = self.get::<PluginRecord>(&key)? {
            return Ok(existing);
        }
        // The wasm first: a record never points at missing bytes.
        self.wasm.put(&record.id, wasm)?;
        self.tree.insert(key, encode(record))?;
        self.flush_sync()?;
        Ok(record.clone())
    }

    fn delete_plugin(&self, id: &str) -> Result<bool> {
        let existed = self.tree.take(keys::plugin(id))?.is_some();
        self.flush_sync()?;
        self.wasm.remove(id)?;
        Ok(existed)
    }

    // --- subscriptions (sealed) ---

    fn put_subscription(&self, sub: &Subscription) -> Result<()> {
        let mut batch = self.kv.batch();
        batch.insert(
            &self.tree,
            keys::workspace_subscription(&sub.workspace, &sub.id),
            [],
        );
        batch.insert(&self.tree, keys::subscription(&sub.id), encode(sub));
        batch.commit()?;
        self.flush_sync()?;
        Ok(())
    }

    fn delete_subscription(&self, ws: &str, id: &str) -> Result<bool> {
        let key = keys::subscription(id);
        {
            let _exclusive = Kv::exclusive();
            match self.get::<Subscription>(&key)? {
                Some(s) if s.workspace == ws => {}
                _ => return Ok(false),
            }
            let mut batch = self.kv.batch();
            batch.remove(&self.tree, key);
            batch.remove(&self.tree, keys::workspace_subscription(ws, id));
            batch.commit()?;
        }
        self.flush_sync()?;
        Ok(true)
    }

    fn swap_subscription(&self, sub: &Subscription, etag: &str) -> Result<bool> {
        let key = keys::subscription(&sub.id);
        {
            let _exclusive = Kv::exclusive();
            let Some(raw) = self.tree.get(&key)? else {
                return Ok(false);
            };
            let stored: Subscription = decode(&key, &raw)?;
            if stored.etag != etag {
                return Ok(false);
            }
            self.tree.insert(&key, encode(sub))?;
        }
        self.flush_sync()?;
        Ok(true)
    }
}
