//! Turning uploaded bytes into a checked, compiled component, with an on-disk cache of
//! precompiled artifacts so that a restart does not compile again.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use wasmtime::Engine;
use wasmtime::component::{Component, types::ComponentItem};

use super::LoadError;

/// The plugin's own interfaces; the WASI ones it may import are listed in `wit/`.
const OWN: &str = "hookshape:plugin/";

/// The WASI interfaces a plugin may import, one per line with what the plugin gets from it.
/// The host links all of them (see `instance::add_host_to_linker`), denying what is denied.
const WASI_IMPORTS: &str = include_str!("../../../wit/wasi-imports.txt");

/// Known interfaces that are refused, with the reason shown to the uploader.
const REFUSED: &[(&str, &str)] = &[
    ("wasi:http/", "plugins get no network"),
    ("wasi:sockets/", "plugins get no network"),
    ("wasi:filesystem/", "plugins get no filesystem"),
];

/// The interfaces of `wit/wasi-imports.txt`, without versions.
pub(crate) fn granted_wasi() -> impl Iterator<Item = &'static str> {
    WASI_IMPORTS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().next())
}

/// Whether an import name (`wasi:io/poll@0.2.9`) is granted: a listed interface at a 0.2
/// version, or the plugin world's own.
fn granted(import: &str) -> bool {
    if import.starts_with(OWN) {
        return true;
    }
    let (interface, version) = import.split_once('@').unwrap_or((import, ""));
    version.starts_with("0.2.") && granted_wasi().any(|g| g == interface)
}

/// Checks the bytes' header before handing them to the compiler, for clearer errors.
pub(crate) fn check_header(wasm: &[u8]) -> Result<(), LoadError> {
    if wasm.len() < 8 || &wasm[..4] != b"\0asm" {
        return Err(LoadError::NotWasm);
    }
    // Bytes 4..8 are the version and layer: layer 0 is a core module, layer 1 a component.
    match &wasm[6..8] {
        [0, 0] => Err(LoadError::CoreModule),
        [1, 0] => Ok(()),
        _ => Err(LoadError::Invalid("unknown binary layer".into())),
    }
}

/// Refuses components that import what plugins are not granted.
pub(crate) fn check_imports(engine: &Engine, component: &Component) -> Result<(), LoadError> {
    let ty = component.component_type();
    for (name, _) in ty.imports(engine) {
        if granted(name) {
            continue;
        }
        let why = REFUSED
            .iter()
            .find(|(p, _)| name.starts_with(p))
            .map_or("not part of the plugin world", |(_, why)| *why);
        return Err(LoadError::ForbiddenImport {
            import: name.to_owned(),
            why,
        });
    }
    Ok(())
}

/// Refuses components that do not export the two functions of the world, with what they do
/// export (finer type mismatches are caught when the bindings are prepared).
pub(crate) fn check_exports(engine: &Engine, component: &Component) -> Result<(), LoadError> {
    let ty = component.component_type();
    let exports: Vec<(String, bool)> = ty
        .exports(engine)
        .map(|(name, item)| {
            let is_func = matches!(item.ty, ComponentItem::ComponentFunc(_));
            (name.to_owned(), is_func)
        })
        .collect();
    for want in ["configure", "transform"] {
        if !exports
            .iter()
            .any(|(name, is_func)| name == want && *is_func)
        {
            let found: Vec<&str> = exports.iter().map(|(n, _)| n.as_str()).collect();
            return Err(LoadError::WrongWorld(format!(
                "no `{want}` function export (exports: {})",
                if found.is_empty() {
                    "none".to_owned()
                } else {
                    found.join(", ")
                }
            )));
        }
    }
    Ok(())
}

/// Where the precompiled artifact for these bytes lives: keyed by the wasm's sha256 and the
/// engine's compatibility hash, so an upgraded or differently configured engine never loads
/// an artifact it did not make.
pub(crate) fn artifact_path(dir: &Path, engine: &Engine, sha256: &str) -> PathBuf {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut h);
    dir.join(format!("{sha256}-{:016x}.cwasm", h.finish()))
}

/// Loads a precompiled artifact, if one exists and the engine accepts it.
pub(crate) fn read_artifact(engine: &Engine, path: &Path) -> Option<Component> {
    if !path.exists() {
        return None;
    }
    // SAFETY: the artifact was written by `write_artifact` from `Component::serialize` of this
    // same engine configuration (the compatibility hash is in its name) into a directory of
    // the operator's or user's own (the data directory, the CLI's cache). Wasmtime still
    // checks its header.
    #[allow(unsafe_code)]
    let loaded = unsafe { Component::deserialize_file(engine, path) };
    match loaded {
        Ok(c) => Some(c),
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "ignoring unusable plugin artifact");
            None
        }
    }
}

/// Writes a precompiled artifact durably (`data_dir::write_durably`): after a power cut its
/// name never points at bytes that did not reach the disk.
pub(crate) fn write_artifact(path: &Path, component: &Component) -> Result<(), LoadError> {
    let bytes = component
        .serialize()
        .map_err(|e| LoadError::Cache(format!("serialize: {e}")))?;
    crate::data_dir::write_durably(path, &bytes)
        .map_err(|e| LoadError::Cache(format!("write {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::granted;

    #[test]
    fn listed_wasi_interfaces_are_granted_at_any_0_2_version() {
        assert!(granted("wasi:io/poll@0.2.12"));
        assert!(granted("wasi:filesystem/preopens@0.2.0"));
        assert!(granted("hookshape:plugin/host@0.1.0"));
        assert!(!granted("wasi:io/poll@0.3.0"));
        assert!(!granted("wasi:http/outgoing-handler@0.2.9"));
        assert!(!granted("wasi:io/pol@0.2.9"));
        assert!(super::granted_wasi().count() >= 20);
    }
}
