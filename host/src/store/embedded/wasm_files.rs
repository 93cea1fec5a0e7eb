//! Plugin wasm as files, `plugins/{id}.wasm`: large and rarely read, they stay out of the
//! keyspace and its caches.

use std::path::{Path, PathBuf};

pub(super) struct WasmFiles {
    dir: PathBuf,
}

/// Plugin ids are sha256 hex: nothing else may become a path.
fn valid_id(id: &str) -> bool {
    id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

impl WasmFiles {
    pub fn open(dir: &Path) -> std::io::Result<Self> {
        let dir = dir.join("plugins");
        crate::data_dir::create_dir_durably(&dir)?;
        Ok(WasmFiles { dir })
    }

    fn path(&self, id: &str) -> Option<PathBuf> {
        valid_id(id).then(|| self.dir.join(format!("{id}.wasm")))
    }

    /// Writes the bytes durably (temp file, fsync, rename, fsync of the directory).
    pub fn put(&self, id: &str, wasm: &[u8]) -> std::io::Result<()> {
        let path = self.path(id).ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a plugin id")
        })?;
        if path.exists() {
            return Ok(());
        }
        crate::data_dir::write_durably(&path, wasm)
    }

    pub fn get(&self, id: &str) -> std::io::Result<Option<Vec<u8>>> {
        let Some(path) = self.path(id) else {
            return Ok(None);
        };
        match std::fs::read(path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub fn remove(&self, id: &str) -> std::io::Result<()> {
        let Some(path) = self.path(id) else {
            return Ok(());
        };
        match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}
