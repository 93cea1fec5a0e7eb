//! `plugin new --lang python|js` and `plugin build` for them: the SDK module, the template
//! and the WIT world are embedded, so a plugin project holds only its own code.

use std::path::{Path, PathBuf};
use std::process::Command;

pub(super) const WIT: &str = include_str!("../../../wit/v0.1.0/plugin.wit");
const PY_SDK: &str = include_str!("../../../plugins/python/hookshape.py");
const PY_TEMPLATE: &str = include_str!("../../../plugins/python/template/app.py");
const PY_REQUIREMENTS: &str = include_str!("../../../plugins/python/requirements.txt");
const JS_SDK: &str = include_str!("../../../plugins/js/hookshape.js");
const JS_TEMPLATE: &str = include_str!("../../../plugins/js/template/app.js");
const JS_PACKAGE: &str = include_str!("../../../plugins/js/package.json");

/// A language other than Rust, which has its own build through cargo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Python,
    Js,
}

impl Lang {
    /// The language of a project directory, by its entry file.
    pub fn of(dir: &Path) -> Option<Lang> {
        if dir.join("app.py").is_file() {
            Some(Lang::Python)
        } else if dir.join("app.js").is_file() {
            Some(Lang::Js)
        } else {
            None
        }
    }

    fn entry(self) -> &'static str {
        match self {
            Lang::Python => "app.py",
            Lang::Js => "app.js",
        }
    }

    fn sdk(self) -> (&'static str, &'static str) {
        match self {
            Lang::Python => ("hookshape.py", PY_SDK),
            Lang::Js => ("hookshape.js", JS_SDK),
        }
    }
}

/// The pinned JavaScript toolchain (package → version), from the repository's package.json:
/// componentize-js, and the shim it loads without depending on it.
fn js_toolchain() -> serde_json::Map<String, serde_json::Value> {
    serde_json::from_str::<serde_json::Value>(JS_PACKAGE)
        .ok()
        .and_then(|v| v["devDependencies"].as_object().cloned())
        .unwrap_or_default()
}

/// Writes a new project: the template, the SDK module, the pinned toolchain and a .gitignore.
pub fn scaffold(lang: Lang, name: &str, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let (sdk_file, sdk) = lang.sdk();
    std::fs::write(dir.join(sdk_file), sdk)?;
    match lang {
        Lang::Python => {
            let app = PY_TEMPLATE.replacen(
                "A plugin to start from: edit",
                &format!("The `{name}` hookshape plugin: edit"),
                1,
            );
            std::fs::write(dir.join("app.py"), app)?;
            std::fs::write(dir.join("requirements.txt"), PY_REQUIREMENTS)?;
            std::fs::write(
                dir.join(".gitignore"),
                "/build/\n/.venv/\n/hookshape.py\n__pycache__/\n",
            )
        }
        Lang::Js => {
            let app = JS_TEMPLATE.replacen(
                "A plugin to start from: edit",
                &format!("The `{name}` hookshape plugin: edit"),
                1,
            );
            std::fs::write(dir.join("app.js"), app)?;
            let package = serde_json::json!({
                "name": name,
                "private": true,
                "type": "module",
                "scripts": {"build": "hookshape plugin build ."},
                "devDependencies": js_toolchain(),
            });
            let text = serde_json::to_string_pretty(&package).unwrap_or_default();
            std::fs::write(dir.join("package.json"), text + "\n")?;
            std::fs::write(
                dir.join(".gitignore"),
                "/build/\n/node_modules/\n/hookshape.js\n",
            )
        }
    }
}

/// What to run once in a new project to get its toolchain.
pub fn setup_hint(lang: Lang, dir: &Path) -> String {
    let d = dir.display();
    match lang {
        Lang::Python => format!(
            "get the toolchain with: python3 -m venv {d}/.venv && {d}/.venv/bin/pip install -r {d}/requirements.txt"
        ),
        Lang::Js => format!("get the toolchain with: npm install --prefix {d}"),
    }
}

/// What to run to get the toolchain, shown when it is missing.
fn install_hint(lang: Lang, dir: &Path) -> String {
    match lang {
        Lang::Python => format!(
            "componentize-py not found in {0}/.venv, a parent's .venv or PATH; install it with: \
             python3 -m venv {0}/.venv && {0}/.venv/bin/pip install {1}",
            dir.display(),
            PY_REQUIREMENTS.trim()
        ),
        Lang::Js => format!(
            "componentize-js not found in {0}/node_modules, a parent's node_modules or PATH; \
             install it with: npm install --prefix {0} {1}",
            dir.display(),
            js_toolchain()
                .iter()
                .map(|(name, v)| format!("{name}@{}", v.as_str().unwrap_or("latest")))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    }
}

/// The language's tool: in the project or a parent directory first, then on PATH.
fn find_tool(lang: Lang, dir: &Path) -> Option<PathBuf> {
    let (local, name) = match lang {
        Lang::Python => (".venv/bin/componentize-py", "componentize-py"),
        Lang::Js => ("node_modules/.bin/componentize-js", "componentize-js"),
    };
    let start = dir.canonicalize().ok()?;
    if let Some(found) = start
        .ancestors()
        .map(|d| d.join(local))
        .find(|p| p.is_file())
    {
        return Some(found);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Builds the project in `dir` into `dir/build/plugin.wasm`; returns that path.
pub fn build(lang: Lang, dir: &Path) -> Result<PathBuf, String> {
    let tool = find_tool(lang, dir).ok_or_else(|| install_hint(lang, dir))?;
    let build = dir.join("build");
    let wit = build.join("wit");
    let (sdk_file, sdk) = lang.sdk();
    std::fs::create_dir_all(&wit)
        .and_then(|()| std::fs::write(wit.join("plugin.wit"), WIT))
        // The SDK module sits beside the entry file, refreshed to this binary's version.
        .and_then(|()| std::fs::write(dir.join(sdk_file), sdk))
        .map_err(|e| format!("cannot write into {}: {e}", dir.display()))?;
    let out = build.join("plugin.wasm");
    let mut cmd = Command::new(&tool);
    // Paths are relative to the project: componentize-js resolves them there.
    cmd.current_dir(dir);
    match lang {
        Lang::Python => {
            cmd.args([
                "-d",
                "build/wit",
                "-w",
                "transformer",
                "componentize",
                "-p",
                ".",
            ])
            .args(["app", "-o", "build/plugin.wasm"]);
        }
        Lang::Js => {
            // No `wasi:http` (plugins get no network): without it the component imports only
            // what wit/wasi-imports.txt grants.
            cmd.args(["--wit", "build/wit", "--world-name", "transformer"])
                .args(["--disable", "http", "fetch-event"])
                .args(["--out", "build/plugin.wasm", lang.entry()]);
        }
    }
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {}: {e}", tool.display()))?;
    if !status.success() {
        return Err(format!("{} failed (see above)", tool.display()));
    }
    if !out.is_file() {
        return Err(format!("the build made no {}", out.display()));
    }
    Ok(out)
}
