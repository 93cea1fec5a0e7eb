//! The `hookshape` command line run as a user runs it against a test server: the API's
//! address and token in the environment.

use std::process::Output;

use serde_json::Value;

/// Runs `cli` (the test's `CARGO_BIN_EXE_hookshape-cli`) with `args` against `base`.
pub async fn run_against(cli: &str, base: &str, token: &str, args: &[&str]) -> Output {
    tokio::process::Command::new(cli)
        .args(args)
        .env("HOOKSHAPE_URL", base)
        .env("HOOKSHAPE_TOKEN", token)
        .output()
        .await
        .expect("run hookshape")
}

/// The JSON a command printed, which must have succeeded.
pub fn json_of(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}
