//! Durable state in sled: the only module that names it.
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
//! publishers); later writes (attempts, rescheduling) ride on sled's periodic flush, which at
//! worst repeats an attempt after a crash — at-least-once, never lost. The job queues are
//! also kept in memory ([`queue`]), so finding due jobs reads no tree.

mod catalog;
mod commit;
mod jobs;
mod keys;
mod queue;
mod tenancy;
mod wasm_files;

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::model::{PluginRecord, Subscription};

pub use jobs::{Fanout, Published, Purged};
pub use queue::DueJobs;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage: {0}")]
    Sled(#[from] sled::Error),
    #[error("stored record {key} is unreadable: {detail}")]
    Corrupt { key: String, detail: String },
    #[error("storage flush failed: {0}")]
    Flush(String),
    #[error("{0}")]
    Key(String),
    #[error("another hookshape is using {0}")]
    Locked(String),
    #[error("storage: {0}")]
    Io(#[from] std::io::Error),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// The store. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    tree: sled::Db,
    /// Event bodies by event id.
    events: sled::Tree,
    /// Attempt records by `{delivery}/{number}`.
    attempts: sled::Tree,
    /// Plugin wasm by plugin id.
    wasm: Arc<wasm_files::WasmFiles>,
    /// The `q/` keys, in memory.
    queues: Arc<queue::Queues>,
    /// Seals signing secrets before they are written, opens them when read.
    sealer: Arc<crate::seal::Sealer>,
    commit: Arc<commit::GroupCommit>,
    _closer: Arc<Closer>,
}

struct Closer(Arc<commit::GroupCommit>);

impl Drop for Closer {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// Result of a conditional update.
#[derive(Debug)]
pub enum Updated<T> {
    Done(T),
    NotFound,
    /// The stored etag differs from the one expected.
    Stale,
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

impl Store {
    /// Opens (or creates) the store in `dir`, with the main key from `dir/main.key`.
    pub fn open(dir: &Path) -> Result<Self> {
        Self::open_with_key(dir, None)
    }

    /// Opens (or creates) the store in `dir`; `main_key` (base64) overrides `dir/main.key`.
    /// A key rotation left half-way is finished here.
    pub fn open_with_key(dir: &Path, main_key: Option<&str>) -> Result<Self> {
        let keys = crate::seal::load(dir, main_key).map_err(|e| StoreError::Key(e.to_string()))?;
        let store = Self::open_sealed(dir, keys.sealer)?;
        if keys.rotating {
            store.reseal()?;
            crate::seal::finish_rotation(dir).map_err(|e| StoreError::Key(e.to_string()))?;
        }
        Ok(store)
    }

    /// Opens (or creates) the store in `dir`, sealing secrets with `sealer`.
    pub fn open_sealed(dir: &Path, sealer: crate::seal::Sealer) -> Result<Self> {
        let db = sled::Config::new()
            .path(dir.join("db"))
            // Its page cache is resident memory; hot records fit well within it.
            .cache_capacity(64 << 20)
            .flush_every_ms(Some(200))
            .open()
            .map_err(|e| match e {
                // sled reports a held lock as an I/O error carrying the OS's `WouldBlock`.
                sled::Error::Io(io)
                    if io.kind() == std::io::ErrorKind::WouldBlock
                        || io.to_string().contains("could not acquire lock") =>
                {
                    StoreError::Locked(dir.display().to_string())
                }
                other => StoreError::Sled(other),
            })?;
        let queues = queue::Queues::default();
        for kv in db.scan_prefix(keys::QUEUES) {
            let (k, _) = kv?;
            if let Some((sub, due, id)) = keys::split_queue(&k) {
                queues.add(&sub, due, &id);
            }
        }
        let commit = commit::GroupCommit::start(db.clone());
        let store = Store {
            queues: Arc::new(queues),
            sealer: Arc::new(sealer),
            events: db.open_tree("events")?,
            attempts: db.open_tree("attempts")?,
            wasm: Arc::new(wasm_files::WasmFiles::open(dir)?),
            tree: db,
            commit: commit.clone(),
            _closer: Arc::new(Closer(commit)),
        };
        store.upgrade()?;
        store.move_wasm_to_files()?;
        Ok(store)
    }

    fn get<T: DeserializeOwned>(&self, key: &[u8]) -> Result<Option<T>> {
        get_in(&self.tree, key)
    }

    fn scan<T: DeserializeOwned>(&self, prefix: &[u8]) -> Result<Vec<T>> {
        scan_in(&self.tree, prefix)
    }

    /// Flushes everything to disk now.
    pub async fn flush(&self) -> Result<()> {
        self.commit.durable().await.map_err(StoreError::Flush)
    }

    /// Storage flushes so far: how many, their total and longest time (ns).
    pub fn flush_stats(&self) -> (u64, u64, u64) {
        self.commit.stats()
    }

    /// Each subscription's queued jobs: (subscription, how many, earliest due ms).
    pub fn queue_depths(&self) -> Vec<(String, u64, u64)> {
        self.queues.depths()
    }

    // --- plugins ---

    /// Stores a plugin; returns the existing record when these bytes were stored before.
    pub fn put_plugin(&self, record: &PluginRecord, wasm: &[u8]) -> Result<PluginRecord> {
        let key = keys::plugin(&record.id);
        if let Some(existing) = self.get::<PluginRecord>(&key)? {
            return Ok(existing);
        }
        // The wasm first: a record never points at missing bytes.
        self.wasm.put(&record.id, wasm)?;
        self.tree.insert(key, encode(record))?;
        self.tree.flush()?;
        Ok(record.clone())
    }

    pub fn plugin(&self, id: &str) -> Result<Option<PluginRecord>> {
        self.get(&keys::plugin(id))
    }

    pub fn plugin_wasm(&self, id: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.wasm.get(id)?)
    }

    pub fn plugins(&self) -> Result<Vec<PluginRecord>> {
        self.scan(b"p/")
    }

    pub fn delete_plugin(&self, id: &str) -> Result<bool> {
        let existed = self.tree.remove(keys::plugin(id))?.is_some();
        self.tree.flush()?;
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
        self.tree.flush()?;
        Ok(())
    }

    // --- subscriptions ---

    /// A subscription as stored: its signing secrets sealed.
    fn encode_subscription(&self, sub: &Subscription) -> Vec<u8> {
        let mut sealed = sub.clone();
        for secret in &mut sealed.secrets {
            secret.value = self.sealer.seal(&secret.value);
        }
        for value in sealed.headers.values_mut() {
            *value = self.sealer.seal(value);
        }
        encode(&sealed)
    }

    fn decode_subscription(&self, key: &[u8], bytes: &[u8]) -> Result<Subscription> {
        let mut sub: Subscription = decode(key, bytes)?;
        for secret in &mut sub.secrets {
            secret.value = self
                .sealer
                .open(&secret.value)
                .map_err(|e| StoreError::Corrupt {
                    key: String::from_utf8_lossy(key).into_owned(),
                    detail: e.to_string(),
                })?;
        }
        for value in sub.headers.values_mut() {
            *value = self.sealer.open(value).map_err(|e| StoreError::Corrupt {
                key: String::from_utf8_lossy(key).into_owned(),
                detail: e.to_string(),
            })?;
        }
        Ok(sub)
    }

    /// Seals again, with the current main key, every secret that is not sealed with it
    /// (clear ones from older releases, or ones sealed with a key being rotated out).
    pub fn reseal(&self) -> Result<usize> {
        let mut changed = 0;
        for kv in self.tree.scan_prefix(b"s/") {
            let (key, raw) = kv?;
            let stored: Subscription = decode(&key, &raw)?;
            let mut sealed = stored
                .secrets
                .iter()
                .map(|s| &s.value)
                .chain(stored.headers.values());
            if sealed.all(|v| self.sealer.is_current(v)) {
                continue;
            }
            let sub = self.decode_subscription(&key, &raw)?;
            self.tree.insert(key, self.encode_subscription(&sub))?;
            changed += 1;
        }
        self.tree.flush()?;
        Ok(changed)
    }

    /// The id of the main key secrets are sealed with.
    pub fn key_id(&self) -> &str {
        self.sealer.key_id()
    }

    pub fn put_subscription(&self, sub: &Subscription) -> Result<()> {
        self.tree.insert(
            keys::workspace_subscription(&sub.workspace, &sub.id),
            &[][..],
        )?;
        self.tree
            .insert(keys::subscription(&sub.id), self.encode_subscription(sub))?;
        self.tree.flush()?;
        Ok(())
    }

    /// A subscription of workspace `ws`: one of another workspace is not found.
    pub fn subscription(&self, ws: &str, id: &str) -> Result<Option<Subscription>> {
        let key = keys::subscription(id);
        let Some(raw) = self.tree.get(&key)? else {
            return Ok(None);
        };
        Ok(Some(self.decode_subscription(&key, &raw)?).filter(|s| s.workspace == ws))
    }

    /// A workspace's subscriptions, oldest first.
    pub fn subscriptions_in(&self, ws: &str) -> Result<Vec<Subscription>> {
        let mut out = Vec::new();
        for id in self.subscription_ids_in(ws)? {
            out.extend(self.subscription(ws, &id)?);
        }
        Ok(out)
    }

    /// All subscriptions, oldest first (ids are ULIDs).
    pub fn subscriptions(&self) -> Result<Vec<Subscription>> {
        self.tree
            .scan_prefix(b"s/")
            .map(|kv| {
                let (k, v) = kv?;
                self.decode_subscription(&k, &v)
            })
            .collect()
    }

    pub fn delete_subscription(&self, ws: &str, id: &str) -> Result<bool> {
        if self.subscription(ws, id)?.is_none() {
            return Ok(false);
        }
        let existed = self.tree.remove(keys::subscription(id))?.is_some();
        self.tree.remove(keys::workspace_subscription(ws, id))?;
        self.tree.flush()?;
        Ok(existed)
    }

    /// Changes a subscription with `change` unless its etag differs from `if_match`. The
    /// change may refuse with an error of its own, which is passed back.
    pub fn update_subscription<E>(
        &self,
        ws: &str,
        id: &str,
        if_match: Option<&str>,
        mut change: impl FnMut(&mut Subscription) -> std::result::Result<(), E>,
    ) -> Result<std::result::Result<Updated<Subscription>, E>> {
        let key = keys::subscription(id);
        loop {
            let Some(raw) = self.tree.get(&key)? else {
                return Ok(Ok(Updated::NotFound));
            };
            let mut sub = self.decode_subscription(&key, &raw)?;
            if sub.workspace != ws {
                return Ok(Ok(Updated::NotFound));
            }
            if if_match.is_some_and(|tag| tag != sub.etag) {
                return Ok(Ok(Updated::Stale));
            }
            if let Err(e) = change(&mut sub) {
                return Ok(Err(e));
            }
            sub.etag = sub.new_etag();
            let swapped = self.tree.compare_and_swap(
                &key,
                Some(raw),
                Some(self.encode_subscription(&sub)),
            )?;
            if swapped.is_ok() {
                self.tree.flush()?;
                return Ok(Ok(Updated::Done(sub)));
            }
            // Someone else changed it between our read and write: read again.
        }
    }
}
