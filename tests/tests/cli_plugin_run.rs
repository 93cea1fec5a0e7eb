//! `hookshape plugin run` as a user runs it: a child process, files on disk.

use std::process::Command;

use hookshape_tests::plugin_path;
use serde_json::Value;

/// The command with the cache of compiled plugins off, unless a test turns it on: tests
/// leave nothing in the home directory.
fn hookshape() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hookshape-cli"));
    cmd.env("HOOKSHAPE_CACHE_DIR", "");
    cmd.env("XDG_CACHE_HOME", "");
    cmd.env_remove("HOME");
    cmd
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write");
    path
}

/// `hookshape plugin run PLUGIN --event E --config C --json`, which must succeed; its JSON.
fn run_json(plugin: &str, event: &std::path::Path, config: &std::path::Path) -> Value {
    let out = hookshape()
        .args(["plugin", "run"])
        .arg(plugin_path(plugin))
        .arg("--event")
        .arg(event)
        .arg("--config")
        .arg(config)
        .arg("--json")
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{plugin}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

#[test]
fn runs_a_plugin_and_prints_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let event = write(
        &dir,
        "event.json",
        r#"{"type":"member.updated","id":"evt_1","occurredAt":"2024-11-08T21:49:46.733Z",
            "object":{"id":"m1","name":{"first":"Ada"},"email":"a@x"}}"#,
    );
    let config = write(
        &dir,
        "config.json",
        r#"{"fields":["id",{"path":"email","as":"mail"}]}"#,
    );
    let v = run_json("select-fields", &event, &config);
    assert_eq!(v["outcome"], "deliver");
    assert_eq!(
        v["body"],
        r#"{"type":"member.updated","timestamp":"2024-11-08T21:49:46.733Z","data":{"id":"m1","mail":"a@x"}}"#
    );
    assert_eq!(v["headers"], serde_json::json!([]));
    assert!(v["durationUs"].as_u64().is_some());
    assert!(v["memoryBytes"].as_u64().is_some_and(|m| m > 0));
}

#[test]
fn a_component_already_seen_comes_from_the_cache() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = dir.path().join("cache");
    let run = || {
        let out = hookshape()
            .env("HOOKSHAPE_CACHE_DIR", &cache)
            .args(["plugin", "run", "--json", "--event"])
            .arg(r#"{"type":"a.b","occurredAt":"2026-01-01T00:00:00Z","object":{"id":1}}"#)
            .arg(plugin_path("passthrough"))
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout).expect("json")
    };
    let first = run();
    assert_eq!(first["cached"], false, "{first}");
    let second = run();
    assert_eq!(second["cached"], true, "{second}");
    assert_eq!(first["body"], second["body"]);
    assert!(
        std::fs::read_dir(cache.join("plugins"))
            .expect("the cache holds the compiled plugin")
            .count()
            > 0
    );

    // --no-cache compiles afresh.
    let out = hookshape()
        .env("HOOKSHAPE_CACHE_DIR", &cache)
        .args(["plugin", "run", "--no-cache", "--json", "--event"])
        .arg(r#"{"type":"a.b","occurredAt":"2026-01-01T00:00:00Z","object":{"id":1}}"#)
        .arg(plugin_path("passthrough"))
        .output()
        .expect("run");
    let third: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(third["cached"], false, "{third}");
}

#[test]
fn a_dropped_event_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let event = write(
        &dir,
        "e.json",
        r#"{"type":"member.updated","object":{"status":"gone"}}"#,
    );
    let config = write(&dir, "c.json", r#"{"field":"status","equals":"active"}"#);
    let out = hookshape()
        .args(["plugin", "run"])
        .arg(plugin_path("filter"))
        .arg("--event")
        .arg(&event)
        .arg("--config")
        .arg(&config)
        .output()
        .expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("outcome: drop\n"), "{text}");
    assert!(text.contains("peak linear memory"), "{text}");
}

#[test]
fn a_failing_plugin_exits_non_zero_with_its_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let event = write(&dir, "e.json", r#"{"type":"member.updated","object":{}}"#);
    let config = write(&dir, "c.json", r#"{"mode":"panic"}"#);
    let out = hookshape()
        .args(["plugin", "run"])
        .arg(plugin_path("misbehave"))
        .arg("--event")
        .arg(&event)
        .arg("--config")
        .arg(&config)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("misbehave: deliberate panic") && err.contains("(trap)"),
        "{err}"
    );
}

#[test]
fn bad_input_exits_with_a_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let event = write(&dir, "e.json", r#"{"type":"NotAType","object":{}}"#);
    let out = hookshape()
        .args(["plugin", "run"])
        .arg(plugin_path("passthrough"))
        .arg("--event")
        .arg(&event)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a valid event type"));

    let not_wasm = write(&dir, "x.wasm", "hello");
    let valid = write(&dir, "ok.json", r#"{"type":"member.created","object":{}}"#);
    let out = hookshape()
        .args(["plugin", "run"])
        .arg(&not_wasm)
        .arg("--event")
        .arg(&valid)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("(not_wasm)"));
}

#[test]
fn every_example_plugin_runs_as_the_readme_shows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let event = write(
        &dir,
        "event.json",
        r#"{"type":"child.updated","id":"evt_7","tenant":"6d130c40","occurredAt":"2023-10-05T10:47:21Z",
            "object":{"childId":"c1","name":"Ada","status":"active"},
            "previous":{"childId":"c1","name":"Ad","status":"active"}}"#,
    );
    // Each example with a config of its own and what its body must say.
    let cases: [(&str, &str, &str, &str); 7] = [
        ("passthrough", "{}", "/data/name", r#""Ada""#),
        (
            "select-fields",
            r#"{"fields":["childId"]}"#,
            "/data",
            r#"{"childId":"c1"}"#,
        ),
        (
            "filter",
            r#"{"field":"status","in":["active"]}"#,
            "/data/childId",
            r#""c1""#,
        ),
        (
            "previous-attributes",
            "{}",
            "/data/previousAttributes",
            r#"{"name":"Ad"}"#,
        ),
        ("diff", "{}", "/events/0/diff", r#"{"name":"Ada"}"#),
        ("famly-envelope", "{}", "/siteSetId", r#""6d130c40""#),
        ("template", "{}", "/id", r#""evt_7""#),
    ];
    for (plugin, config, pointer, expected) in cases {
        let config = write(&dir, &format!("{plugin}.json"), config);
        let v = run_json(plugin, &event, &config);
        assert_eq!(v["outcome"], "deliver", "{plugin}: {v}");
        let body: Value =
            serde_json::from_str(v["body"].as_str().expect("body text")).expect("JSON body");
        let expected: Value = serde_json::from_str(expected).expect("expected JSON");
        assert_eq!(body.pointer(pointer), Some(&expected), "{plugin}: {body}");
    }
}

#[test]
fn inline_json_and_stdin_work_and_output_is_shown() {
    use std::io::Write;
    let mut child = hookshape()
        .args(["plugin", "run"])
        .arg(plugin_path("misbehave"))
        .args(["--event", "-", "--config", r#"{"mode": "print"}"#, "--json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(br#"{"type": "member.created", "object": {"id": "m1"}}"#)
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["outcome"], "deliver");
    assert_eq!(v["output"], "misbehave: printed during transform\n");
    assert!(v["logs"].is_array());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("plugin output: misbehave: printed during transform"),
        "{stderr}"
    );
}
