//! The management commands as an admin uses them: the real binary against a real server.

use std::process::Output;

use hookshape_tests::app::{TOKEN, TestApp};
use serde_json::Value;

async fn hookshape(base: &str, token: &str, args: &[&str]) -> Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_hookshape-cli"));
    command
        .args(args)
        .env("HOOKSHAPE_URL", base)
        .env("HOOKSHAPE_TOKEN", token);
    command.output().await.expect("run hookshape")
}

fn json_of(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_makes_a_workspace_and_hands_its_manager_a_token() {
    let app = TestApp::spawn().await;
    let base = app.base.clone();
    let ws = json_of(
        &hookshape(
            &base,
            TOKEN,
            &[
                "workspaces",
                "create",
                "--id",
                "acme",
                "--name",
                "Acme",
                "--json",
            ],
        )
        .await,
    );
    assert_eq!(ws["id"], "acme");
    let made = json_of(
        &hookshape(
            &base,
            TOKEN,
            &[
                "tokens",
                "create",
                "--name",
                "Acme integrations",
                "--role",
                "manager",
                "--workspace",
                "acme",
                "--json",
            ],
        )
        .await,
    );
    let manager = made["token"].as_str().expect("token").to_owned();
    let id = made["id"].as_str().expect("id").to_owned();

    // A table by default.
    let listed = hookshape(&base, TOKEN, &["tokens", "list"]).await;
    let table = String::from_utf8_lossy(&listed.stdout);
    assert!(table.starts_with("ID"), "{table}");
    assert!(table.contains(&id) && table.contains("manager"), "{table}");
    assert!(!table.contains(&manager), "tokens are never listed");

    // The manager's token reaches its workspace only: administering is refused, in one line.
    let refused = hookshape(&base, &manager, &["workspaces", "list"]).await;
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.starts_with("error: forbidden:"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let own = app
        .call_with("GET", "/v1/subscriptions", None, Some(&manager), &[])
        .await;
    assert_eq!(own.status, 200);

    let revoked = hookshape(&base, TOKEN, &["tokens", "revoke", &id]).await;
    assert!(revoked.status.success());
    let after = app
        .call_with("GET", "/v1/subscriptions", None, Some(&manager), &[])
        .await;
    assert_eq!(after.status, 401);

    let no_token = hookshape(&base, "", &["workspaces", "list"]).await;
    assert!(!no_token.status.success());
}
