//! The embedded engine, on sled: the only module that names it.
//!
//! Small, often-changed records (subscriptions, deliveries, queues, indexes and event
//! markers) live in one tree (see [`keys`] for the layout). Write-once blobs — event bodies,
//! attempt records — live in trees of their own: sled keeps values inline in its nodes, and
//! large values beside hot keys would be copied on every node rewrite. Plugin wasm, large and
//! rarely read, lives in files beside the database ([`wasm_files`]).
//!
//! The hot path uses single-key writes only, ordered so that a crash between any two leaves
//! nothing lost: a publish writes its deliveries and jobs, then commits them by swapping in
//! the event's marker (jobs without a marker are a crashed publish's, never acknowledged,
//! and are dropped); an attempt is recorded before its job leaves the queue. sled runs every
//! batch and transaction under one process-wide lock — and once one has run, every other
//! operation takes that lock's shared side — so only publishing to a batching subscription
//! uses a transaction (joining an open batch is a read-modify-write).
//!
//! Publishing waits for the data to be on disk ([`commit`]: one fsync shared by concurrent
//! publishers); later writes (attempts, rescheduling) ride on the flush thread's periodic
//! flush (every 20 ms), which at worst repeats an attempt after a crash — at-least-once,
//! never lost. The job queues are also kept in memory ([`queue`]), so finding due jobs
//! reads no tree.

mod catalog;
mod claims;
mod commit;
mod engine_impl;
mod files_sync;
mod jobs;
mod keys;
mod queue;
mod reads;
mod snapshots;
mod tenancy;
#[cfg(test)]
mod tests;
mod wasm_files;

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::engine::DueJobs;
use super::{Result, StoreError};
use crate::model::{PluginRecord, Subscription};

impl From<sled::Error> for StoreError {
    fn from(e: sled::Error) -> Self {
        StoreError::Engine(e.to_string())
    }
}

/// The sled engine. Cheap to clone.
#[derive(Clone)]
pub struct SledStore {
    tree: sled::Db,
    /// Event bodies by event id.
    events: sled::Tree,
    /// Attempt records by `{delivery}/{number}`.
    attempts: sled::Tree,
    /// Object snapshots by key: the time written (8 bytes, big-endian ms), then the object.
    snapshots: sled::Tree,
    /// Plugin wasm by plugin id.
    wasm: Arc<wasm_files::WasmFiles>,
    /// The `q/` keys, in memory.
    queues: Arc<queue::Queues>,
    commit: Arc<commit::GroupCommit>,
    _closer: Arc<Closer>,
}

/// How long an open waits for a lock held in this process to go.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

struct Closer(Arc<commit::GroupCommit>);

impl Drop for Closer {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// Whether the database in `db_dir` is (or, new, will be) compressed: sled refuses to open
/// one with another setting than it was created with, which it records in `conf`.
fn compressed(db_dir: &Path) -> bool {
    match std::fs::read(db_dir.join("conf")) {
        Ok(conf) => String::from_utf8_lossy(&conf)
            .lines()
            .any(|l| l.trim() == "use_compression: true"),
        Err(_) => true,
    }
}

fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    // Our records are plain data (strings, numbers, maps with string keys): always encodable.
    serde_json::to_vec(value).unwrap_or_default()
}

fn decode<T: DeserializeOwned>(key: &[u8], bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt {
        key: String::from_utf8_lossy(key).into_owned(),
        detail: e.to_string(),
    })
}

/// The record at `key` in `tree`.
fn get_in<T: DeserializeOwned>(tree: &sled::Tree, key: &[u8]) -> Result<Option<T>> {
    match tree.get(key)? {
        Some(bytes) => decode(key, &bytes).map(Some),
        None => Ok(None),
    }
}

/// Every record in `tree` whose key starts with `prefix`, in key order.
fn scan_in<T: DeserializeOwned>(tree: &sled::Tree, prefix: &[u8]) -> Result<Vec<T>> {
    tree.scan_prefix(prefix)
        .map(|kv| {
            let (k, v) = kv?;
            decode(&k, &v)
        })
        .collect()
}

impl SledStore {
    /// Opens (or creates) the engine in `dir`.
    pub fn open(dir: &Path) -> Result<Self> {
        let db_dir = dir.join("db");
        // The lock goes with sled's last handle, and its background writes hold one for a
        // moment after a store is dropped: an open in the same process (a restart, a test)
        // waits that moment out. Another process holding it is reported once this has passed.
        let deadline = std::time::Instant::now() + LOCK_WAIT;
        let db = loop {
            match Self::open_sled(&db_dir) {
                Err(StoreError::Locked(_)) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(StoreError::Locked(_)) => {
                    return Err(StoreError::Locked(dir.display().to_string()));
                }
                other => break other?,
            }
        };
        let files = files_sync::FileSync::open(dir, &db_dir)
            .map_err(|e| StoreError::Flush(format!("sync {}: {e}", db_dir.display())))?;
        let commit = commit::GroupCommit::start(db.clone(), files);
        let store = SledStore {
            queues: Arc::new(queue::Queues::default()),
            events: db.open_tree("events")?,
            attempts: db.open_tree("attempts")?,
            snapshots: db.open_tree("snapshots")?,
            wasm: Arc::new(wasm_files::WasmFiles::open(dir)?),
            tree: db,
            commit: commit.clone(),
            _closer: Arc::new(Closer(commit)),
        };
        store.upgrade()?;
        store.move_wasm_to_files()?;
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

    fn open_sled(db_dir: &Path) -> Result<sled::Db> {
        sled::Config::new()
            .path(db_dir)
            // Its page cache is resident memory; hot records fit well within it.
            .cache_capacity(64 << 20)
            // The group commit thread flushes, also periodically (see `commit`).
            .flush_every_ms(None)
            // zstd at its fastest level: pages of JSON records and keys with long shared
            // prefixes shrink about 3.7×, for little CPU (level 5 saved 1% more space and
            // cost ~1 ms of publish latency at 1,000 events/s). Fixed when a database is
            // created: one made without it keeps working without it.
            .use_compression(compressed(db_dir))
            .compression_factor(1)
            .open()
            .map_err(|e| match e {
                // sled reports a held lock as an I/O error carrying the OS's `WouldBlock`.
                sled::Error::Io(io)
                    if io.kind() == std::io::ErrorKind::WouldBlock
                        || io.to_string().contains("could not acquire lock") =>
                {
                    StoreError::Locked(db_dir.display().to_string())
                }
                other => StoreError::from(other),
            })
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
        let existed = self.tree.remove(keys::plugin(id))?.is_some();
        self.flush_sync()?;
        self.wasm.remove(id)?;
        Ok(existed)
    }

    /// Earlier releases kept plugin wasm in a sled tree: it moves to files once.
    fn move_wasm_to_files(&self) -> Result<()> {
        if !self.tree.tree_names().iter().any(|n| n.as_ref() == b"wasm") {
            return Ok(());
        }
        let old = self.tree.open_tree("wasm")?;
        for kv in old.iter() {
            let (id, bytes) = kv?;
            self.wasm.put(&String::from_utf8_lossy(&id), &bytes)?;
        }
        self.tree.drop_tree("wasm")?;
        self.flush_sync()?;
        Ok(())
    }

    // --- subscriptions (sealed) ---

    fn put_subscription(&self, sub: &Subscription) -> Result<()> {
        self.tree.insert(
            keys::workspace_subscription(&sub.workspace, &sub.id),
            &[][..],
        )?;
        self.tree.insert(keys::subscription(&sub.id), encode(sub))?;
        self.flush_sync()?;
        Ok(())
    }

    fn delete_subscription(&self, ws: &str, id: &str) -> Result<bool> {
        let key = keys::subscription(id);
        match self.get::<Subscription>(&key)? {
            Some(s) if s.workspace == ws => {}
            _ => return Ok(false),
        }
        let existed = self.tree.remove(key)?.is_some();
        self.tree.remove(keys::workspace_subscription(ws, id))?;
        self.flush_sync()?;
        Ok(existed)
    }

    fn swap_subscription(&self, sub: &Subscription, etag: &str) -> Result<bool> {
        let key = keys::subscription(&sub.id);
        let Some(raw) = self.tree.get(&key)? else {
            return Ok(false);
        };
        let stored: Subscription = decode(&key, &raw)?;
        if stored.etag != etag {
            return Ok(false);
        }
        let swapped = self
            .tree
            .compare_and_swap(&key, Some(raw), Some(encode(sub)))?
            .is_ok();
        if swapped {
            self.flush_sync()?;
        }
        Ok(swapped)
    }
}
