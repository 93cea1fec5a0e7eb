//! The management commands as an admin uses them: the real binary against a real server.

use std::process::Output;

use hookshape_tests::app::{TOKEN, TestApp};
use hookshape_tests::cli::{json_of, run_against};
use serde_json::Value;

async fn hookshape(base: &str, token: &str, args: &[&str]) -> Output {
    run_against(env!("CARGO_BIN_EXE_hookshape-cli"), base, token, args).await
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

/// A manager's day on the command line: catalog, subscription, event, deliveries, replay and
/// a portal link.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_runs_the_workspace_from_the_command_line() {
    let app = TestApp::spawn().await;
    let receiver = hookshape_tests::receiver::TestReceiver::start().await;
    let base = app.base.clone();
    let run = |args: Vec<String>| {
        let base = base.clone();
        async move {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            hookshape(&base, TOKEN, &args).await
        }
    };
    let args = |s: &str| s.split(' ').map(str::to_owned).collect::<Vec<_>>();
    json_of(&run(args("workspaces create --id acme --name Acme --json")).await);
    let schema = r#"{"type":"object","required":["id"]}"#;
    let mut create =
        args("event-types create member.updated -w acme --description changed --json --schema");
    create.push(schema.to_owned());
    json_of(&run(create).await);
    let table = run(args("event-types list -w acme")).await;
    let listed = String::from_utf8_lossy(&table.stdout);
    assert!(
        listed.starts_with("NAME") && listed.contains("member.updated"),
        "{listed}"
    );

    let mut sub = args(
        "subscriptions create -w acme --events member.updated,member.craeted --json --endpoint",
    );
    sub.push(receiver.url("/cli"));
    let sub = json_of(&run(sub).await);
    assert!(
        sub["secret"]
            .as_str()
            .is_some_and(|s| s.starts_with("whsec_")),
        "{sub}"
    );
    assert_eq!(
        sub["warnings"][0],
        "event type `member.craeted` is not in the catalog"
    );

    let bad = run(vec![
        "events".into(),
        "send".into(),
        "-w".into(),
        "acme".into(),
        "--type".into(),
        "member.updated".into(),
        "--object".into(),
        "{}".into(),
    ])
    .await;
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.starts_with("error: schema_mismatch:") && err.lines().count() == 1,
        "{err}"
    );

    let object = tempfile::NamedTempFile::new().expect("file");
    std::fs::write(object.path(), r#"{"id": "m_1", "name": "Ada"}"#).expect("write");
    let sent = json_of(
        &run(vec![
            "events".into(),
            "send".into(),
            "-w".into(),
            "acme".into(),
            "--type".into(),
            "member.updated".into(),
            "--object".into(),
            format!("@{}", object.path().display()),
            "--json".into(),
        ])
        .await,
    );
    assert_eq!(sent["deliveries"], 1);
    receiver
        .wait_for(1, std::time::Duration::from_secs(10))
        .await;
    let mut listed = Value::Null;
    for _ in 0..100 {
        listed = json_of(&run(args("deliveries list -w acme --status succeeded --json")).await);
        if listed["data"].as_array().is_some_and(|d| d.len() == 1) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let delivery = listed["data"][0]["id"]
        .as_str()
        .expect("a succeeded delivery")
        .to_owned();
    let retried = json_of(
        &run(vec![
            "deliveries".into(),
            "retry".into(),
            delivery,
            "-w".into(),
            "acme".into(),
            "--json".into(),
        ])
        .await,
    );
    assert_eq!(retried["number"], 2);
    // `deliveries get` shows the delivery, then each attempt with the status it got back.
    let shown = run(vec![
        "deliveries".into(),
        "get".into(),
        listed["data"][0]["id"].as_str().expect("id").into(),
        "-w".into(),
        "acme".into(),
    ])
    .await;
    let text = String::from_utf8_lossy(&shown.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("ID") && lines[1].contains("succeeded"),
        "{text}"
    );
    let attempts = lines
        .iter()
        .position(|l| l.starts_with("NUMBER"))
        .unwrap_or_else(|| panic!("an attempts table: {text}"));
    assert!(lines[attempts].contains("RESPONSE"), "{text}");
    let rows: Vec<&&str> = lines[attempts + 1..].iter().collect();
    assert_eq!(rows.len(), 2, "{text}");
    for row in rows {
        assert!(row.contains("succeeded") && row.contains(" 200 "), "{row}");
    }
    let replay = json_of(
        &run(args(
            "deliveries replay -w acme --since 2020-01-01T00:00:00Z --json",
        ))
        .await,
    );
    assert_eq!(replay["queued"], 0);

    let link = json_of(
        &run(args(
            "portal-link -w acme --capabilities view,retry --expires-in 600 --json",
        ))
        .await,
    );
    assert!(link["url"].as_str().is_some_and(|u| u.contains("/portal#")));
    assert_eq!(link["capabilities"], serde_json::json!(["view", "retry"]));
    let bad_cap = run(args("portal-link -w acme --capabilities fly")).await;
    assert!(!bad_cap.status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_plugin_version_is_tried_compared_promoted_and_rolled_back_from_the_command_line() {
    let app = TestApp::spawn().await;
    let receiver = hookshape_tests::receiver::TestReceiver::start().await;
    let famly = app.upload("famly-envelope").await;
    let created = app
        .subscribe(serde_json::json!({
            "url": receiver.url("/famly"), "events": ["*"],
            "plugin": {"id": famly, "config": {"objectTypes": {"member": "Member"}}},
        }))
        .await;
    let sub = created["id"].as_str().expect("id").to_owned();
    let run = |args: &[&str]| {
        let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        let base = app.base.clone();
        async move {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            hookshape(&base, TOKEN, &args).await
        }
    };
    let tried = json_of(
        &run(&[
            "subscriptions",
            "try",
            &sub,
            "--plugin",
            &famly,
            "--config",
            r#"{"objectTypes": {"member": "Person"}}"#,
            "--json",
        ])
        .await,
    );
    assert_eq!(
        tried["candidate"]["plugin"]["config"]["objectTypes"]["member"],
        "Person"
    );
    json_of(
        &run(&[
            "events",
            "send",
            "--type",
            "member.updated",
            "--object",
            r#"{"id": "m1"}"#,
            "--json",
        ])
        .await,
    );
    receiver
        .wait_for(1, std::time::Duration::from_secs(10))
        .await;
    let mut report = Value::Null;
    for _ in 0..100 {
        report = json_of(&run(&["subscriptions", "compare", &sub, "--json"]).await);
        if report["counts"]["differ"] == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(report["counts"]["differ"], 1, "{report}");
    assert_eq!(
        report["differences"][0]["changes"][0]["path"],
        "/objectType"
    );
    let promoted = json_of(&run(&["subscriptions", "promote", &sub, "--json"]).await);
    assert_eq!(
        promoted["plugin"]["config"]["objectTypes"]["member"],
        "Person"
    );
    let rolled = json_of(&run(&["subscriptions", "rollback", &sub, "--json"]).await);
    assert_eq!(
        rolled["plugin"]["config"]["objectTypes"]["member"],
        "Member"
    );
    let none = run(&["subscriptions", "stop-trial", &sub]).await;
    assert!(!none.status.success(), "no candidate is left to stop");
    assert!(String::from_utf8_lossy(&none.stderr).starts_with("error: "));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_cannot_reach_the_server_is_said_in_one_line() {
    let port = hookshape_tests::child::free_port();
    let down = hookshape(
        &format!("http://127.0.0.1:{port}"),
        TOKEN,
        &["events", "list"],
    )
    .await;
    let err = String::from_utf8_lossy(&down.stderr);
    assert!(!down.status.success());
    assert_eq!(
        err.trim(),
        format!(
            "error: cannot reach http://127.0.0.1:{port}: connection refused by 127.0.0.1:{port}"
        )
    );
    let no_scheme = hookshape("localhost:8080", TOKEN, &["events", "list"]).await;
    let err = String::from_utf8_lossy(&no_scheme.stderr);
    assert!(
        err.trim()
            == "error: --url localhost:8080: give the API's address with its scheme, e.g. http://localhost:8080",
        "{err}"
    );
    let typo = hookshape("http://127.0.0.1:1", TOKEN, &["events", "sned"]).await;
    let err = String::from_utf8_lossy(&typo.stderr);
    assert_eq!(typo.status.code(), Some(2));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("tip: a similar subcommand exists: 'send'"),
        "{err}"
    );
}
