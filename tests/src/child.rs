//! Helpers for tests that run the real `hookshape` binary as a child process.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `{bin} serve` on `data` at `127.0.0.1:{port}` with `token` as admin token, delivering to
/// loopback with a fast retry schedule, quiet: add what a test needs, then spawn. `bin` is the
/// test's `env!("CARGO_BIN_EXE_hookshape-cli")`.
pub fn serve_command(bin: &str, data: &Path, port: u16, token: &str) -> Command {
    let mut cmd = Command::new(bin);
    cmd.arg("serve")
        .arg("--data-dir")
        .arg(data)
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--allow-http", "--allow-ip", "127.0.0.1/32"])
        .args(["--retry-schedule", "100ms,100ms,200ms,400ms,800ms"])
        // No built-in transforms: compiling them takes minutes of CPU in a debug build, in
        // the background of every start. The tests of the built-ins start their own.
        .arg("--builtins")
        .arg(data.join("no-builtins"))
        .env("HOOKSHAPE_TOKEN", token)
        .env("HOOKSHAPE_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// A loopback port nothing listens on right now.
pub fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// Waits until the server at `base` answers `/healthz` (or panics after 30 s).
pub async fn wait_healthy(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await
            && r.status().is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server at {base} did not become healthy");
}
