//! Python and JavaScript plugins of `plugins/`, built by the real `hookshape plugin build`
//! (componentize-py, componentize-js) once per test process, and again only when their
//! source or the command changed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

/// The repository's `plugins/` directory.
pub fn plugins_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../plugins")
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The component of `plugins/<rel>` (`python/filter`, `js/famly-envelope`), built with the
/// command line at `cli`.
pub fn lang_plugin(cli: &str, rel: &str) -> Vec<u8> {
    static BUILT: OnceLock<Mutex<HashMap<String, Vec<u8>>>> = OnceLock::new();
    let built = BUILT.get_or_init(Default::default);
    let mut built = built
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(bytes) = built.get(rel) {
        return bytes.clone();
    }
    let dir = plugins_dir().join(rel);
    let wasm = dir.join("build/plugin.wasm");
    // Test processes run at once: one builds, the others wait and reuse its output.
    std::fs::create_dir_all(dir.join("build")).expect("build dir");
    let lock = std::fs::File::create(dir.join("build/.lock")).expect("lock file");
    lock.lock().expect("lock");
    let sources = ["app.py", "app.js"]
        .iter()
        .filter_map(|f| modified(&dir.join(f)))
        .chain(modified(Path::new(cli)))
        .max();
    let fresh = matches!((modified(&wasm), sources), (Some(w), Some(s)) if w > s);
    if !fresh {
        let out = std::process::Command::new(cli)
            .args(["plugin", "build"])
            .arg(&dir)
            .output()
            .expect("run hookshape plugin build");
        assert!(
            out.status.success(),
            "hookshape plugin build {rel} failed (has `bash .ci/setup` installed the toolchains?):\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let bytes = std::fs::read(&wasm).unwrap_or_else(|e| panic!("read {}: {e}", wasm.display()));
    built.insert(rel.to_owned(), bytes.clone());
    bytes
}
