//! Plugins from the command line: listed, named, attached to a subscription that exists,
//! reconfigured and removed — the real binary against a real server.

use std::process::Output;

use hookshape_tests::app::{TOKEN, TestApp};
use hookshape_tests::cli::{json_of, run_against};
use hookshape_tests::plugin_path;

async fn hookshape(base: &str, args: &[&str]) -> Output {
    run_against(env!("CARGO_BIN_EXE_hookshape-cli"), base, TOKEN, args).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plugin_is_attached_by_name_reconfigured_and_removed() {
    let app = TestApp::spawn().await;
    let base = app.base.as_str();
    let wasm = plugin_path("famly-envelope");
    let uploaded = json_of(
        &hookshape(
            base,
            &[
                "plugin",
                "upload",
                wasm.to_str().expect("path"),
                "--name",
                "famly",
                "--json",
            ],
        )
        .await,
    );
    let id = uploaded["id"].as_str().expect("id").to_owned();

    let listed = json_of(&hookshape(base, &["plugins", "list", "--json"]).await);
    assert!(
        listed["data"]
            .as_array()
            .expect("data")
            .iter()
            .any(|p| p["id"] == id && p["name"] == "famly" && p["builtin"] == false),
        "{listed}"
    );
    let table = hookshape(base, &["plugins", "list"]).await;
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.starts_with("ID"), "{text}");
    assert!(text.contains("famly"), "{text}");

    let sub = json_of(
        &hookshape(
            base,
            &[
                "subscriptions",
                "create",
                "--endpoint",
                "http://127.0.0.1:9/x",
                "--events",
                "member.*",
                "--json",
            ],
        )
        .await,
    );
    let sub = sub["id"].as_str().expect("id").to_owned();

    // Attached by the name it was uploaded under.
    let attached = json_of(
        &hookshape(
            base,
            &[
                "subscriptions",
                "update",
                &sub,
                "--plugin",
                "famly",
                "--config",
                r#"{"objectTypes": {"member": "Member"}}"#,
                "--json",
            ],
        )
        .await,
    );
    assert_eq!(attached["plugin"]["id"], id.as_str(), "{attached}");
    assert_eq!(
        attached["plugin"]["config"]["objectTypes"]["member"],
        "Member"
    );

    // A table shows the plugin's id, not its JSON.
    let shown = hookshape(base, &["subscriptions", "get", &sub]).await;
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(
        text.contains(&id) && !text.contains("objectTypes"),
        "{text}"
    );

    // --config alone changes the config of the plugin it has.
    let changed = json_of(
        &hookshape(
            base,
            &[
                "subscriptions",
                "update",
                &sub,
                "--config",
                r#"{"objectTypes": {"member": "Person"}}"#,
                "--json",
            ],
        )
        .await,
    );
    assert_eq!(changed["plugin"]["id"], id.as_str());
    assert_eq!(
        changed["plugin"]["config"]["objectTypes"]["member"],
        "Person"
    );

    // An unknown name is one clear line and a failure.
    let unknown = hookshape(base, &["subscriptions", "update", &sub, "--plugin", "nope"]).await;
    assert!(!unknown.status.success());
    let err = String::from_utf8_lossy(&unknown.stderr);
    assert!(err.starts_with("error: no plugin named `nope`"), "{err}");

    let removed = json_of(
        &hookshape(
            base,
            &["subscriptions", "update", &sub, "--no-plugin", "--json"],
        )
        .await,
    );
    assert!(removed["plugin"].is_null(), "{removed}");
    let alone = hookshape(base, &["subscriptions", "update", &sub, "--config", "{}"]).await;
    assert!(!alone.status.success(), "no plugin to configure");
}
