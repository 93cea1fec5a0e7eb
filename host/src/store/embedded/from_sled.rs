//! Data directories of earlier releases kept their store in sled (`db/`): it is copied into
//! the keyspace once, key for key (the layout is the same), at the first open. The copy is
//! made in `kv.partial/` and renamed to `kv/` only once complete and synced, so a crash
//! during it starts it again; `db/` goes last.

use std::path::Path;

use super::kv::Kv;
use super::wasm_files::WasmFiles;
use crate::store::{Result, StoreError};

impl From<sled::Error> for StoreError {
    fn from(e: sled::Error) -> Self {
        StoreError::Engine(e.to_string())
    }
}

/// sled's name for its default tree, which held what is now the main tree.
const SLED_DEFAULT: &[u8] = b"__sled__default";
/// Writes per batch while copying.
const COPY_BATCH: usize = 10_000;

/// Whether the sled database in `db_dir` was created compressed: sled refuses to open one
/// with another setting than it was made with, which it records in `conf`.
fn compressed(db_dir: &Path) -> bool {
    std::fs::read(db_dir.join("conf")).is_ok_and(|conf| {
        String::from_utf8_lossy(&conf)
            .lines()
            .any(|l| l.trim() == "use_compression: true")
    })
}

/// Copies `dir/db` (sled) into `kv_dir` when `kv_dir` is not there yet; removes `dir/db`
/// once a complete copy is.
pub(super) fn copy_if_older(dir: &Path, kv_dir: &Path, wasm: &WasmFiles) -> Result<()> {
    let old = dir.join("db");
    if kv_dir.exists() {
        if old.exists() {
            // A copy finished, and a crash came before the old database was removed.
            std::fs::remove_dir_all(&old)?;
        }
        return Ok(());
    }
    if !old.exists() {
        return Ok(());
    }
    let partial = dir.join("kv.partial");
    if partial.exists() {
        std::fs::remove_dir_all(&partial)?;
    }
    let copied = copy(&old, &partial, wasm)?;
    crate::data_dir::rename_durably(&partial, kv_dir)?;
    std::fs::remove_dir_all(&old)?;
    crate::data_dir::sync_dir(dir)?;
    tracing::info!(
        records = copied,
        "copied the store of an earlier release into the new layout"
    );
    Ok(())
}

fn copy(old: &Path, to: &Path, wasm: &WasmFiles) -> Result<usize> {
    let db = sled::Config::new()
        .path(old)
        .use_compression(compressed(old))
        .open()
        .map_err(|e| match e {
            sled::Error::Io(io) if io.kind() == std::io::ErrorKind::WouldBlock => {
                StoreError::Locked(old.display().to_string())
            }
            other => StoreError::from(other),
        })?;
    let kv = Kv::open(to)?;
    let mut copied = 0;
    for name in db.tree_names() {
        let tree = db.open_tree(&name)?;
        if name.as_ref() == b"wasm" {
            // Even earlier releases kept plugin wasm in a tree: it goes to files.
            for kv in tree.iter() {
                let (id, bytes) = kv?;
                wasm.put(&String::from_utf8_lossy(&id), &bytes)?;
            }
            continue;
        }
        let target = if name.as_ref() == SLED_DEFAULT {
            kv.tree("main")?
        } else {
            kv.tree(&String::from_utf8_lossy(&name))?
        };
        let mut batch = kv.batch();
        let mut in_batch = 0;
        for pair in tree.iter() {
            let (k, v) = pair?;
            batch.insert(&target, &k, &v);
            in_batch += 1;
            copied += 1;
            if in_batch == COPY_BATCH {
                std::mem::replace(&mut batch, kv.batch()).commit()?;
                in_batch = 0;
            }
        }
        batch.commit()?;
    }
    kv.sync()?;
    Ok(copied)
}
