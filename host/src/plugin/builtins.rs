//! Transforms shipped with the server, whose code is the integrator's config
//! (`builtin:javascript` takes JavaScript source): components found at start as
//! `{name}.wasm` in one directory, usable by every workspace without an upload. Each is
//! compiled once, on first use or by the warm-up at start (its artifact goes to the plugin
//! cache, so a restart maps it again in milliseconds), and then stays in memory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::OnceCell;

use super::{LoadError, PluginCode, Runtime};

/// What every built-in's id starts with.
pub const PREFIX: &str = "builtin:";

/// The built-ins found at start.
#[derive(Default)]
pub struct Builtins {
    found: BTreeMap<String, Builtin>,
}

/// One built-in transform.
pub struct Builtin {
    /// `builtin:{name}`.
    pub id: String,
    pub name: String,
    /// Size of its wasm.
    pub size: u64,
    /// When its file was written (ms since the epoch).
    pub modified_ms: u64,
    path: PathBuf,
    code: OnceCell<Arc<PluginCode>>,
}

impl Builtins {
    /// The `{name}.wasm` files of `dir` (a missing directory holds none). Names are
    /// lowercase letters, digits and `-`.
    pub fn find(dir: &Path) -> Builtins {
        let mut found = BTreeMap::new();
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Builtins::default();
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Some(name) = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".wasm"))
                .filter(|n| {
                    !n.is_empty()
                        && n.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                })
            else {
                continue;
            };
            let Ok(meta) = entry.metadata() else { continue };
            let modified_ms = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
            let id = format!("{PREFIX}{name}");
            found.insert(
                id.clone(),
                Builtin {
                    id,
                    name: name.to_owned(),
                    size: meta.len(),
                    modified_ms,
                    path,
                    code: OnceCell::new(),
                },
            );
        }
        Builtins { found }
    }

    pub fn get(&self, id: &str) -> Option<&Builtin> {
        self.found.get(id)
    }

    /// Every built-in, by id.
    pub fn list(&self) -> impl Iterator<Item = &Builtin> {
        self.found.values()
    }
}

impl Runtime {
    /// The built-in transforms this runtime offers.
    pub fn builtins(&self) -> &Builtins {
        &self.inner.builtins
    }

    /// A built-in's code, compiled (or mapped from the cache) the first time; `None` when
    /// `id` names no built-in.
    pub async fn builtin_code(&self, id: &str) -> Option<Result<Arc<PluginCode>, LoadError>> {
        let builtin = self.inner.builtins.get(id)?;
        let loaded = builtin
            .code
            .get_or_try_init(|| async {
                let path = builtin.path.clone();
                let wasm = tokio::fs::read(&path)
                    .await
                    .map_err(|e| LoadError::Cache(format!("read {}: {e}", path.display())))?;
                let runtime = self.clone();
                tokio::task::spawn_blocking(move || runtime.load(&wasm))
                    .await
                    .map_err(|e| LoadError::Cache(format!("compiling was interrupted: {e}")))?
            })
            .await;
        Some(loaded.cloned())
    }

    /// Compiles every built-in in the background, so that the first subscription to use one
    /// does not wait for it.
    pub fn warm_builtins(&self) {
        for builtin in self.builtins().list() {
            let runtime = self.clone();
            let id = builtin.id.clone();
            tokio::spawn(async move {
                match runtime.builtin_code(&id).await {
                    Some(Ok(_)) => tracing::info!(plugin = %id, "built-in transform ready"),
                    Some(Err(e)) => {
                        tracing::error!(plugin = %id, error = %e, "built-in transform unusable")
                    }
                    None => {}
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_wasm_files_with_plain_names_are_builtins() {
        let dir =
            std::env::temp_dir().join(format!("hookshape-builtins-{}", crate::model::new_ulid()));
        std::fs::create_dir_all(&dir).expect("dir");
        for name in [
            "javascript.wasm",
            "Bad.wasm",
            "notes.txt",
            ".wasm",
            "py-3.wasm",
        ] {
            std::fs::write(dir.join(name), b"x").expect("write");
        }
        let found = Builtins::find(&dir);
        let ids: Vec<&str> = found.list().map(|b| b.id.as_str()).collect();
        assert_eq!(ids, ["builtin:javascript", "builtin:py-3"]);
        assert_eq!(found.get("builtin:javascript").map(|b| b.size), Some(1));
        assert!(Builtins::find(&dir.join("missing")).list().next().is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
