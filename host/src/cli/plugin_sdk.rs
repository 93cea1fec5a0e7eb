//! The Rust plugin SDK, embedded in the binary and written into each new Rust plugin project
//! (`hookshape-sdk/` beside its `src/`), so that a project needs no hookshape checkout and
//! holds no path outside itself: it builds wherever it is moved or cloned.

use std::path::Path;

/// The SDK's sources, as in `plugins/sdk/src`.
const SOURCES: &[(&str, &str)] = &[
    ("lib.rs", include_str!("../../../plugins/sdk/src/lib.rs")),
    (
        "event.rs",
        include_str!("../../../plugins/sdk/src/event.rs"),
    ),
    ("json.rs", include_str!("../../../plugins/sdk/src/json.rs")),
    ("log.rs", include_str!("../../../plugins/sdk/src/log.rs")),
    (
        "outcome.rs",
        include_str!("../../../plugins/sdk/src/outcome.rs"),
    ),
];

/// Where the SDK finds the WIT world in the repository, and in a project's copy.
const WIT_IN_REPOSITORY: &str = "path: \"../../wit/v0.1.0\"";
const WIT_IN_COPY: &str = "path: \"wit\"";

/// The copy's manifest: the dependencies of `plugins/sdk/Cargo.toml` with the versions the
/// plugins workspace gives them (a test below keeps the two the same).
const MANIFEST: &str = r#"[package]
name = "hookshape-sdk"
description = "Write hookshape plugins in Rust: a Plugin trait, an export macro and JSON helpers"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
wit-bindgen = { version = "0.63", default-features = false, features = ["macros", "realloc"] }
serde = { version = "1", features = ["derive"] }
serde_json = { version = "1", features = ["preserve_order", "arbitrary_precision"] }

# A faster allocator than wasi-libc's dlmalloc for the many small allocations of JSON work.
[target.'cfg(target_arch = "wasm32")'.dependencies]
talc = { version = "5", default-features = false }
"#;

/// The directory of the copy inside a project, as its manifest names it.
pub(super) const DIR: &str = "hookshape-sdk";

/// Writes the SDK into `project/hookshape-sdk`.
pub(super) fn write_into(project: &Path) -> std::io::Result<()> {
    let sdk = project.join(DIR);
    std::fs::create_dir_all(sdk.join("src"))?;
    std::fs::create_dir_all(sdk.join("wit"))?;
    std::fs::write(sdk.join("Cargo.toml"), MANIFEST)?;
    std::fs::write(sdk.join("wit/plugin.wit"), super::plugin_lang::WIT)?;
    for (name, text) in SOURCES {
        let text = if *name == "lib.rs" {
            text.replacen(WIT_IN_REPOSITORY, WIT_IN_COPY, 1)
        } else {
            (*text).to_owned()
        };
        std::fs::write(sdk.join("src").join(name), text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines of a TOML table (`[name]` up to the next table), trimmed, blank ones out.
    fn table<'a>(toml: &'a str, name: &str) -> Vec<&'a str> {
        toml.lines()
            .map(str::trim)
            .skip_while(|l| *l != format!("[{name}]"))
            .skip(1)
            .take_while(|l| !l.starts_with('['))
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    }

    #[test]
    fn the_copy_points_at_its_own_wit_and_every_source_file_is_in_it() {
        let lib = SOURCES[0].1;
        assert!(lib.contains(WIT_IN_REPOSITORY), "the SDK's WIT path moved");
        let files: Vec<String> =
            std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../plugins/sdk/src"))
                .expect("the SDK's sources")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
        let embedded: Vec<&str> = SOURCES.iter().map(|(n, _)| *n).collect();
        for f in &files {
            assert!(embedded.contains(&f.as_str()), "{f} is not embedded");
        }
    }

    #[test]
    fn the_copys_dependencies_are_the_sdks() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../plugins");
        let workspace = std::fs::read_to_string(root.join("Cargo.toml")).expect("workspace");
        let sdk = std::fs::read_to_string(root.join("sdk/Cargo.toml")).expect("sdk");
        let versions = table(&workspace, "workspace.dependencies");
        let copied = table(MANIFEST, "dependencies");
        for line in table(&sdk, "dependencies") {
            let name = line.split(['.', ' ']).next().expect("a name");
            let expected = versions
                .iter()
                .find(|v| v.starts_with(&format!("{name} ")))
                .expect("a workspace version");
            assert!(
                copied.contains(expected),
                "{name}: {expected} not in the copy"
            );
        }
        let wasm = "target.'cfg(target_arch = \"wasm32\")'.dependencies";
        assert_eq!(table(&sdk, wasm), table(MANIFEST, wasm));
    }
}
