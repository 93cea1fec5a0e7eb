//! Builds the plugins workspace for wasm32-wasip2 into its own target directory and exposes
//! the directory holding the `.wasm` components as `HOOKSHAPE_PLUGIN_DIR`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let root = manifest_dir
        .parent()
        .expect("tests/ lives in the repository");
    let plugins = root.join("plugins");
    let wit = root.join("wit");
    println!("cargo:rerun-if-changed={}", wit.display());
    for entry in ["Cargo.toml", "Cargo.lock", "sdk", "template", "testing"] {
        println!("cargo:rerun-if-changed={}", plugins.join(entry).display());
    }
    for crate_dir in std::fs::read_dir(&plugins)
        .expect("plugins/ exists")
        .flatten()
    {
        if crate_dir.path().join("Cargo.toml").exists() {
            println!("cargo:rerun-if-changed={}", crate_dir.path().display());
        }
    }

    let target_dir = wasm_target_dir();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    check_target_installed();
    let mut cmd = Command::new(cargo);
    cmd.args([
        "build",
        "--release",
        "--locked",
        "--target",
        "wasm32-wasip2",
        "--manifest-path",
    ])
    .arg(plugins.join("Cargo.toml"))
    .arg("--target-dir")
    .arg(&target_dir);
    // The outer build's flags are for the host; they must not leak into the guest build.
    for var in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_BUILD_RUSTFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_PROFILE_RELEASE_DEBUG",
    ] {
        cmd.env_remove(var);
    }
    let status = cmd.status().expect("cannot run cargo to build the plugins");
    assert!(
        status.success(),
        "building plugins/ for wasm32-wasip2 failed (see the output above)"
    );
    let out = target_dir.join("wasm32-wasip2").join("release");
    println!("cargo:rustc-env=HOOKSHAPE_PLUGIN_DIR={}", out.display());
}

/// `<workspace target>/wasm-plugins`, found from OUT_DIR (`<target>/<profile>/build/<pkg>/out`).
fn wasm_target_dir() -> PathBuf {
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    let target = out
        .ancestors()
        .find(|p| p.file_name().is_some_and(|n| n == "build"))
        .and_then(Path::parent)
        .and_then(Path::parent)
        .expect("OUT_DIR is inside the target directory");
    target.join("wasm-plugins")
}

fn check_target_installed() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let libdir = Command::new(rustc)
        .args(["--print", "target-libdir", "--target", "wasm32-wasip2"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let installed = libdir.is_some_and(|dir| dir.exists());
    assert!(
        installed,
        "the wasm32-wasip2 target is not installed; run `rustup target add wasm32-wasip2` \
         (or `bash .ci/run`, which installs it)"
    );
}
