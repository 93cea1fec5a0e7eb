//! The embedded engine's key-value layer, on fjall (an LSM tree): the only module that names
//! it. A publish or an attempt is one atomic batch across trees, appended to one journal;
//! [`Kv::sync`] makes everything written so far durable with one `fdatasync` of that journal
//! (fjall fsyncs new journal and table files and their directories itself).
//!
//! fjall has no compare-and-swap: read-check-write sequences run under [`Kv::exclusive`], a
//! lock this process holds (one process opens a data directory: see [`DirLock`]).

use std::fs::File;
use std::ops::RangeBounds;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use crate::store::{Result, StoreError};

impl From<fjall::Error> for StoreError {
    fn from(e: fjall::Error) -> Self {
        StoreError::Engine(e.to_string())
    }
}

impl From<fjall::LsmError> for StoreError {
    fn from(e: fjall::LsmError) -> Self {
        StoreError::Engine(e.to_string())
    }
}

/// A stored key or value.
pub type Bytes = fjall::Slice;
type Pair = std::result::Result<(Bytes, Bytes), fjall::Error>;

/// The keyspace: its trees share one journal.
#[derive(Clone)]
pub struct Kv {
    ks: fjall::Keyspace,
}

/// One tree of the keyspace.
#[derive(Clone)]
pub struct Tree(fjall::PartitionHandle);

/// Writes to several trees that become visible, and durable, together.
pub struct Batch(fjall::Batch);

/// An exclusive lock on a data directory's store, held while the store is open.
pub struct DirLock(#[allow(dead_code)] File);

impl DirLock {
    /// Locks `path` (created if missing); `Locked` when another process holds it.
    pub fn acquire(path: &Path) -> Result<DirLock> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)?;
        match file.try_lock() {
            Ok(()) => Ok(DirLock(file)),
            Err(std::fs::TryLockError::WouldBlock) => {
                Err(StoreError::Locked(path.display().to_string()))
            }
            Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
        }
    }
}

/// The process-wide lock for read-check-write sequences.
static EXCLUSIVE: Mutex<()> = Mutex::new(());

impl Kv {
    pub fn open(dir: &Path) -> Result<Kv> {
        // fjall syncs the directories it creates, not their names in their parents.
        crate::data_dir::create_dir_durably(dir)?;
        let ks = fjall::Config::new(dir)
            // The group commit persists; fjall's own periodic fsync would only add syncs.
            .manual_journal_persist(true)
            .fsync_ms(None)
            // fjall stalls writers for 100-500 ms once memtables or journals come near these
            // bounds: far above what the trees' own memtables (16 MiB each, flushed to
            // tables as they fill) ever hold.
            .max_write_buffer_size(256 << 20)
            .max_journaling_size(512 << 20)
            .cache_size(32 << 20)
            .open()?;
        lower_background_priority();
        Ok(Kv { ks })
    }

    /// Syncs the keyspace's directories, so that the names of trees made since they were
    /// last synced survive a power cut (fjall syncs a new tree's directory, not its name).
    pub fn sync_layout(&self, dir: &Path) -> Result<()> {
        for sub in ["partitions", "journals", ""] {
            crate::data_dir::sync_dir(&dir.join(sub))?;
        }
        Ok(())
    }

    pub fn tree(&self, name: &str) -> Result<Tree> {
        // Writes stay in the journal's buffer until the group commit syncs it: no system
        // call per write.
        let options = fjall::PartitionCreateOptions::default().manual_journal_persist(true);
        Ok(Tree(self.ks.open_partition(name, options)?))
    }

    pub fn batch(&self) -> Batch {
        Batch(self.ks.batch())
    }

    /// Everything written so far is on disk when this returns (one fdatasync).
    pub fn sync(&self) -> Result<()> {
        Ok(self.ks.persist(fjall::PersistMode::SyncData)?)
    }

    /// Held while a sequence reads, checks and writes keys other writers may race on.
    pub fn exclusive() -> MutexGuard<'static, ()> {
        EXCLUSIVE
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// fjall's background threads (and the flush workers they start, which inherit it) yield
/// to request threads: writing a memtable out takes one core for 50-250 ms, which publishers
/// and attempts would otherwise queue behind. Idle time is plenty for them; under saturation
/// fjall's own write-buffer bound makes writers wait for them.
fn lower_background_priority() {
    #[cfg(target_os = "linux")]
    {
        let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
            return;
        };
        for task in tasks.flatten() {
            let name = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
            if !matches!(name.trim(), "flusher" | "compactor") {
                continue;
            }
            let tid = task
                .file_name()
                .to_str()
                .and_then(|t| t.parse::<i32>().ok());
            if let Some(pid) = tid.and_then(rustix::process::Pid::from_raw) {
                let _ = rustix::process::setpriority_process(Some(pid), 10);
            }
        }
    }
}

impl Tree {
    pub fn get(&self, key: impl AsRef<[u8]>) -> Result<Option<Bytes>> {
        Ok(self.0.get(key)?)
    }
    pub fn contains_key(&self, key: impl AsRef<[u8]>) -> Result<bool> {
        Ok(self.0.contains_key(key)?)
    }
    pub fn insert(&self, key: impl AsRef<[u8]>, value: impl AsRef<[u8]>) -> Result<()> {
        Ok(self.0.insert(key.as_ref(), value.as_ref())?)
    }
    pub fn remove(&self, key: impl AsRef<[u8]>) -> Result<()> {
        Ok(self.0.remove(key.as_ref())?)
    }
    /// Removes a key and returns what it held (callers that race hold [`Kv::exclusive`]).
    pub fn take(&self, key: impl AsRef<[u8]>) -> Result<Option<Bytes>> {
        let old = self.0.get(key.as_ref())?;
        if old.is_some() {
            self.0.remove(key.as_ref())?;
        }
        Ok(old)
    }
    pub fn scan_prefix(
        &self,
        prefix: impl AsRef<[u8]>,
    ) -> impl DoubleEndedIterator<Item = Result<(Bytes, Bytes)>> + 'static {
        let it = self.0.prefix(prefix.as_ref().to_vec());
        PairIter(it)
    }
    pub fn range(
        &self,
        range: impl RangeBounds<Vec<u8>> + 'static,
    ) -> impl DoubleEndedIterator<Item = Result<(Bytes, Bytes)>> + 'static {
        PairIter(self.0.range(range))
    }
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = Result<(Bytes, Bytes)>> + 'static {
        PairIter(self.0.iter())
    }
    /// The keys under `prefix`.
    pub fn keys_with_prefix(&self, prefix: impl AsRef<[u8]>) -> Result<Vec<Bytes>> {
        self.0
            .prefix(prefix.as_ref())
            .map(|kv| kv.map(|(k, _)| k).map_err(StoreError::from))
            .collect()
    }
}

/// fjall's iterator with our error type.
struct PairIter<I>(I);

impl<I: Iterator<Item = Pair>> Iterator for PairIter<I> {
    type Item = Result<(Bytes, Bytes)>;
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|kv| kv.map_err(StoreError::from))
    }
}

impl<I: DoubleEndedIterator<Item = Pair>> DoubleEndedIterator for PairIter<I> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|kv| kv.map_err(StoreError::from))
    }
}

impl Batch {
    pub fn insert(&mut self, tree: &Tree, key: impl AsRef<[u8]>, value: impl AsRef<[u8]>) {
        self.0.insert(&tree.0, key.as_ref(), value.as_ref());
    }
    pub fn remove(&mut self, tree: &Tree, key: impl AsRef<[u8]>) {
        self.0.remove(&tree.0, key.as_ref());
    }
    /// Applies every write at once (not yet durable: see [`Kv::sync`]).
    pub fn commit(self) -> Result<()> {
        Ok(self.0.commit()?)
    }
}
