//! `plugin build --watch`: notices when a plugin project's files change, by polling their
//! modification times and sizes (no watcher dependency; a project is a handful of files).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// What a build writes or fetches, not what an author edits.
const SKIPPED: &[&str] = &[
    "target",
    "build",
    "node_modules",
    ".venv",
    "__pycache__",
    ".git",
    "Cargo.lock",
];

/// The project's files, each with its modification time and size.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Snapshot(BTreeMap<PathBuf, (Option<SystemTime>, u64)>);

impl Snapshot {
    pub(super) fn of(dir: &Path) -> Snapshot {
        let mut files = BTreeMap::new();
        let mut pending = vec![dir.to_owned()];
        while let Some(d) = pending.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name();
                if SKIPPED.iter().any(|s| name == *s) {
                    continue;
                }
                let Ok(meta) = entry.metadata() else {
                    continue;
                };
                if meta.is_dir() {
                    pending.push(entry.path());
                } else {
                    files.insert(entry.path(), (meta.modified().ok(), meta.len()));
                }
            }
        }
        Snapshot(files)
    }

    /// Returns once `dir` no longer matches this snapshot, and has stayed the same for a
    /// moment (an editor's save is often several writes).
    pub(super) fn wait_for_change(&self, dir: &Path) {
        const POLL: Duration = Duration::from_millis(300);
        loop {
            std::thread::sleep(POLL);
            let now = Snapshot::of(dir);
            if now != *self {
                loop {
                    std::thread::sleep(POLL);
                    if Snapshot::of(dir) == now {
                        return;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_changes_the_snapshot_and_build_output_does_not() {
        let dir = std::env::temp_dir().join(format!("hookshape-watch-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("build")).expect("mkdir");
        std::fs::write(dir.join("app.py"), "a").expect("write");
        let before = Snapshot::of(&dir);
        std::fs::write(dir.join("build/plugin.wasm"), "wasm").expect("write");
        std::fs::write(dir.join("Cargo.lock"), "lock").expect("write");
        assert_eq!(Snapshot::of(&dir), before);
        std::fs::write(dir.join("app.py"), "ab").expect("write");
        let after = Snapshot::of(&dir);
        let _ = std::fs::remove_dir_all(&dir);
        assert_ne!(after, before);
    }
}
