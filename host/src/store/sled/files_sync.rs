//! What makes sled's writes durable. sled's own flush on Linux ends with
//! `sync_file_range`, which persists neither the file's new size nor the drive's write cache,
//! and it writes large values (`blobs/`), its config and its snapshots without syncing their
//! names. After each flush this fdatasyncs the log file and, in `db/` and `db/blobs/`, each
//! new file and the directory itself whenever its entries changed — only then is a write
//! acknowledged.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs::File;
use std::path::{Path, PathBuf};

pub(super) struct FileSync {
    /// sled's log file (`db/db`).
    log: File,
    /// `db/` and `db/blobs/`, each with the entries it had when last synced.
    dirs: [(PathBuf, BTreeSet<OsString>); 2],
}

fn entries(dir: &Path) -> std::io::Result<BTreeSet<OsString>> {
    match std::fs::read_dir(dir) {
        Ok(read) => read.map(|e| e.map(|e| e.file_name())).collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeSet::new()),
        Err(e) => Err(e),
    }
}

impl FileSync {
    /// After sled opened `db_dir`: syncs everything opening may have created (its files, the
    /// directories and their names in `data_dir`), so that later syncs only cover changes.
    pub fn open(data_dir: &Path, db_dir: &Path) -> std::io::Result<Self> {
        let mut sync = FileSync {
            log: File::open(db_dir.join("db"))?,
            dirs: [
                (db_dir.to_owned(), BTreeSet::new()),
                (db_dir.join("blobs"), BTreeSet::new()),
            ],
        };
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
            for name in now.difference(synced) {
                match File::open(dir.join(name)) {
                    Ok(f) => f.sync_data()?,
                    // Collected by sled since the listing: nothing to keep.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e),
                }
            }
            crate::data_dir::sync_dir(dir)?;
            *synced = now;
        }
        Ok(())
    }
}
