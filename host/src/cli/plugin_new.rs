//! `hookshape plugin new|build|upload`: start a plugin from the template (a Rust crate, or a
//! Python or JavaScript project), build it into a component, and upload it.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use super::client::Target;
use super::plugin_lang::{self, Lang};

/// The template plugin's source, embedded so `plugin new` works from any directory.
const TEMPLATE_LIB: &str = include_str!("../../../plugins/template/src/lib.rs");

/// The language a new plugin is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Language {
    Rust,
    Python,
    Js,
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The plugin's name: a crate name (`crm-envelope`), and its directory.
    name: String,
    /// The language to write it in.
    #[arg(long, value_enum, default_value_t = Language::Rust)]
    lang: Language,
    /// Where to create it [default: ./NAME].
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Use this hookshape plugin SDK (`plugins/sdk` of a checkout) instead of a copy of the
    /// one built into this binary, which goes into the project's `hookshape-sdk/`.
    #[arg(long)]
    sdk: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The plugin's directory: a crate (Cargo.toml), or a project with app.py or app.js.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Build again whenever a file of the project changes, until Ctrl-C.
    #[arg(long)]
    watch: bool,
    /// After each build, run the plugin on this event, as `plugin run --event` does (inline
    /// JSON or a file).
    #[arg(long, value_name = "EVENT")]
    run: Option<String>,
    /// The config for `--run` (inline JSON or a file) [default: {}].
    #[arg(long, value_name = "CONFIG", requires = "run")]
    config: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct UploadArgs {
    /// The component (`.wasm`).
    file: PathBuf,
    /// A name shown in lists.
    #[arg(long)]
    name: Option<String>,
    #[command(flatten)]
    workspace: super::manage::In,
}

fn fail(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::FAILURE
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// The project's manifest; `sdk` is the SDK's path as the manifest gives it.
fn manifest(name: &str, sdk: &Path) -> String {
    format!(
        r#"[package]
name = "{name}"
version = "0.1.0"
edition = "2024"
publish = false

[lib]
crate-type = ["cdylib", "rlib"]

[dependencies]
hookshape-sdk = {{ path = {sdk:?} }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = {{ version = "1", features = ["preserve_order"] }}

# Plugins are small and fast: one codegen unit, whole-program optimisation, no symbols.
[profile.release]
lto = true
opt-level = "s"
codegen-units = 1
strip = true
panic = "abort"

# A crate of its own, not a member of an enclosing workspace.
[workspace]
"#,
        sdk = sdk.display().to_string()
    )
}

pub fn new(args: &NewArgs) -> ExitCode {
    if !valid_name(&args.name) {
        return fail(format!(
            "`{}` is not a crate name: lowercase letters, digits, - and _, starting with a letter",
            args.name
        ));
    }
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| PathBuf::from(&args.name));
    let lang = match args.lang {
        Language::Rust => None,
        Language::Python => Some(Lang::Python),
        Language::Js => Some(Lang::Js),
    };
    if let Some(lang) = lang {
        if dir.exists() {
            return fail(format!("{} exists already", dir.display()));
        }
        if let Err(e) = plugin_lang::scaffold(lang, &args.name, &dir) {
            return fail(format!("cannot write {}: {e}", dir.display()));
        }
        println!("created {}", dir.display());
        println!("{}", plugin_lang::setup_hint(lang, &dir));
        println!("build it with: hookshape plugin build {}", dir.display());
        return ExitCode::SUCCESS;
    }
    let sdk = match &args.sdk {
        Some(p) => match p.canonicalize() {
            Ok(p) if p.join("Cargo.toml").exists() => p,
            _ => {
                return fail(format!(
                    "no plugin SDK at {}; give a hookshape checkout's plugins/sdk",
                    p.display()
                ));
            }
        },
        None => PathBuf::from(super::plugin_sdk::DIR),
    };
    if dir.exists() {
        return fail(format!("{} exists already", dir.display()));
    }
    let lib = TEMPLATE_LIB.replacen(
        "//! A plugin to start from: copy this folder, rename the package in `Cargo.toml`, and edit\n//! `transform`.",
        &format!("//! The `{}` hookshape plugin: edit `transform`.", args.name),
        1,
    );
    let written = std::fs::create_dir_all(dir.join("src"))
        .and_then(|()| std::fs::write(dir.join("Cargo.toml"), manifest(&args.name, &sdk)))
        .and_then(|()| std::fs::write(dir.join("src/lib.rs"), lib))
        .and_then(|()| std::fs::write(dir.join(".gitignore"), "/target\nCargo.lock\n"))
        .and_then(|()| match &args.sdk {
            Some(_) => Ok(()),
            None => super::plugin_sdk::write_into(&dir),
        });
    if let Err(e) = written {
        return fail(format!("cannot write {}: {e}", dir.display()));
    }
    println!("created {}", dir.display());
    println!("build it with: hookshape plugin build {}", dir.display());
    ExitCode::SUCCESS
}

pub fn build(args: &BuildArgs) -> ExitCode {
    if !args.watch {
        return match build_once(&args.dir).and_then(|wasm| run_built(&wasm, args)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(e),
        };
    }
    loop {
        let seen = super::plugin_watch::Snapshot::of(&args.dir);
        if let Err(e) = build_once(&args.dir).and_then(|wasm| run_built(&wasm, args)) {
            eprintln!("error: {e}");
        }
        println!(
            "watching {} for changes (Ctrl-C to stop)",
            args.dir.display()
        );
        seen.wait_for_change(&args.dir);
    }
}

/// `--run`: the built plugin run on the event, by this binary's `plugin run`.
fn run_built(wasm: &Path, args: &BuildArgs) -> Result<(), String> {
    let Some(event) = &args.run else {
        return Ok(());
    };
    let me = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let mut run = Command::new(me);
    run.args(["plugin", "run"])
        .arg(wasm)
        .args(["--event", event]);
    if let Some(config) = &args.config {
        run.args(["--config", config]);
    }
    match run.status() {
        Ok(s) if s.success() => Ok(()),
        Ok(_) => Err("the run failed (see above)".into()),
        Err(e) => Err(format!("cannot run the plugin: {e}")),
    }
}

/// Builds the project in `dir` and prints the component's path and size.
fn build_once(dir: &Path) -> Result<PathBuf, String> {
    let manifest = dir.join("Cargo.toml");
    let Ok(text) = std::fs::read_to_string(&manifest) else {
        let Some(lang) = Lang::of(dir) else {
            return Err(format!(
                "no Cargo.toml, app.py or app.js in {}",
                dir.display()
            ));
        };
        let wasm = plugin_lang::build(lang, dir)?;
        let size = std::fs::metadata(&wasm).map_or(0, |m| m.len());
        println!("{} ({size} bytes)", wasm.display());
        return Ok(wasm);
    };
    let Some(name) = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("name = \""))
        .and_then(|rest| rest.strip_suffix('"'))
    else {
        return Err(format!("{} names no package", manifest.display()));
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--target",
            "wasm32-wasip2",
            "--manifest-path",
        ])
        .arg(&manifest)
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(_) => {
            return Err(
                "the build failed (see above); is `rustup target add wasm32-wasip2` done?".into(),
            );
        }
        Err(e) => return Err(format!("cannot run cargo: {e}")),
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| dir.join("target"), PathBuf::from);
    let wasm = target
        .join("wasm32-wasip2/release")
        .join(format!("{}.wasm", name.replace('-', "_")));
    match std::fs::metadata(&wasm) {
        Ok(m) => {
            println!("{} ({} bytes)", wasm.display(), m.len());
            Ok(wasm)
        }
        Err(_) => Err(format!("the build made no {}", wasm.display())),
    }
}

pub fn upload(target: &Target, args: &UploadArgs) -> ExitCode {
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => return fail(format!("cannot read {}: {e}", args.file.display())),
    };
    let mut path = args.workspace.path("plugins");
    if let Some(n) = &args.name {
        path.push_str("?name=");
        path.extend(url::form_urlencoded::byte_serialize(n.as_bytes()));
    }
    let result = target.send("POST", &path, super::client::Payload::Wasm(bytes));
    super::finish(target, result, &["id", "name", "size", "world"])
}
