//! What makes sled's writes durable. sled's own flush on Linux ends with
//! `sync_file_range`, which persists neither the file's new size nor the drive's write cache,
//! and it writes large values (`blobs/`) and its snapshots without syncing their names. After
//! each flush this fdatasyncs the log file, fsyncs new blob files, and fsyncs a directory
//! whenever its entries changed — only then is a write acknowledged.

use std::collections::BTreeSet;
use std::fs::File;
use std::path::{Path, PathBuf};

pub(super) struct FileSync {
    /// sled's log file (`db/db`).
    log: File,
    /// The database directory (`db/`) and its blobs directory, with the entries last synced.
    dirs: Vec<(PathBuf, BTreeSet<std::ffi::OsString>)>,
    blobs: PathBuf,
}

fn entries(dir: &Path) -> std::io::Result<BTreeSet<std::ffi::OsString>> {
    match std::fs::read_dir(dir) {
        Ok(read) => read.map(|e| e.map(|e| e.file_name())).collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeSet::new()),
        Err(e) => Err(e),
    }
}

impl FileSync {
    /// After sled opened `db_dir`: syncs what opening created (the directories, `conf`, the
    /// log file's name) so that every later sync only has changes to cover.
    pub fn open(data_dir: &Path, db_dir: &Path) -> std::io::Result<Self> {
        let log = File::open(db_dir.join("db"))?;
        log.sync_all()?;
        let blobs = db_dir.join("blobs");
        let mut sync = FileSync {
            log,
            dirs: vec![
                (db_dir.to_owned(), BTreeSet::new()),
                (blobs.clone(), BTreeSet::new()),
            ],
            blobs,
        };
        for name in entries(db_dir)? {
            let path = db_dir.join(&name);
            if path.is_file() {
                File::open(&path)?.sync_all()?;
            }
        }
        sync.sync()?;
        crate::data_dir::sync_dir(data_dir)?;
        Ok(sync)
    }

    /// Makes everything sled has flushed durable.
    pub fn sync(&mut self) -> std::io::Result<()> {
        self.log.sync_data()?;
        for (dir, synced) in &mut self.dirs {
            let now = entries(dir)?;
            if now == *synced {
                continue;
            }
            if *dir == self.blobs {
                for name in now.difference(synced) {
                    match File::open(dir.join(name)) {
                        Ok(f) => f.sync_data()?,
                        // Collected by sled since the listing: nothing to keep.
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                        Err(e) => return Err(e),
                    }
                }
            }
            crate::data_dir::sync_dir(dir)?;
            *synced = now;
        }
        Ok(())
    }
}
