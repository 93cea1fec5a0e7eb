//! The integrator's tools: `verify` on requests hookshape really sent, `listen` as a
//! subscription's endpoint, and a plugin made with `plugin new`, built with `plugin build`,
//! uploaded with `plugin upload` and run.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use hookshape_tests::app::{TOKEN, TestApp};
use hookshape_tests::child::free_port;
use hookshape_tests::receiver::TestReceiver;
use serde_json::{Value, json};

fn hookshape() -> Command {
    Command::new(env!("CARGO_BIN_EXE_hookshape-cli"))
}

fn verify(args: &[&str], stdin: &[u8]) -> (bool, String) {
    let mut child = hookshape()
        .arg("verify")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// A received request as raw HTTP text.
fn raw(r: &hookshape_tests::receiver::Received) -> Vec<u8> {
    let mut text = format!("POST {} HTTP/1.1\r\n", r.path);
    for (k, v) in &r.headers {
        text.push_str(&format!("{k}: {v}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(&r.body);
    text.into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_accepts_what_hookshape_signed_and_refuses_the_rest() {
    let app = TestApp::spawn().await;
    let receiver = TestReceiver::start().await;
    let sw = app
        .subscribe(json!({"url": receiver.url("/sw"), "events": ["a.b"]}))
        .await;
    let famly_secret = "famly-shared-secret-0123456789";
    app.subscribe(
        json!({"url": receiver.url("/hex"), "events": ["a.b"], "secret": famly_secret,
        "signing": {"scheme": "hex-hmac", "header": "X-Famly-Hmac"}}),
    )
    .await;
    let ornd_secret = "officernd-secret-0123456789abc";
    app.subscribe(
        json!({"url": receiver.url("/ts"), "events": ["a.b"], "secret": ornd_secret,
        "signing": {"scheme": "timestamped-hmac", "header": "officernd-signature"}}),
    )
    .await;
    let firm_secret = "firm-app-secret-0123456789abcd";
    app.subscribe(
        json!({"url": receiver.url("/body"), "events": ["a.b"], "secret": firm_secret,
        "signing": {"scheme": "body-signature"}}),
    )
    .await;
    app.publish(json!({"type": "a.b", "object": {"price": 1.50, "name": "Ada"}}))
        .await;
    let got = receiver.wait_for(4, Duration::from_secs(10)).await;
    let by = |p: &str| got.iter().find(|r| r.path == p).expect("request").clone();
    let sw_secret = sw["secret"].as_str().expect("secret");
    let cases: [(&str, Vec<&str>, &str); 4] = [
        ("/sw", vec!["--scheme", "standard-webhooks"], sw_secret),
        (
            "/hex",
            vec!["--scheme", "hex-hmac", "--signature-header", "X-Famly-Hmac"],
            famly_secret,
        ),
        (
            "/ts",
            vec![
                "--scheme",
                "timestamped-hmac",
                "--signature-header",
                "officernd-signature",
            ],
            ornd_secret,
        ),
        ("/body", vec!["--scheme", "body-signature"], firm_secret),
    ];
    for (path, scheme, secret) in cases {
        let request = by(path);
        let mut args = scheme.clone();
        args.extend(["--secret", secret]);
        let (ok, text) = verify(&args, &raw(&request));
        assert!(ok && text.starts_with("valid: "), "{path}: {text}");
        // One byte changed in the body: invalid, exit 1.
        let tampered = raw(&request)
            .iter()
            .map(|b| if *b == b'A' { b'B' } else { *b })
            .collect::<Vec<_>>();
        let (ok, text) = verify(&args, &tampered);
        assert!(!ok && text.starts_with("invalid: "), "{path}: {text}");
        // The wrong secret: invalid.
        let mut wrong = scheme.clone();
        wrong.extend(["--secret", "whsec_d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA=="]);
        assert!(!verify(&wrong, &raw(&request)).0, "{path}");
    }
    // The body alone on stdin, headers as flags.
    let request = by("/hex");
    let header = format!(
        "X-Famly-Hmac: {}",
        request.header("x-famly-hmac").expect("hmac")
    );
    let (ok, text) = verify(
        &[
            "--scheme",
            "hex-hmac",
            "--signature-header",
            "X-Famly-Hmac",
            "--secret",
            famly_secret,
            "-H",
            &header,
        ],
        request.body.as_bytes(),
    );
    assert!(ok, "{text}");
    // Missing pieces are one-line errors.
    let (ok, text) = verify(&["--scheme", "hex-hmac", "--secret", "x"], b"{}");
    assert!(!ok && text.contains("--signature-header"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listen_prints_each_delivery_with_its_verdict() {
    let app = TestApp::spawn().await;
    let port = free_port();
    let sub = app
        .subscribe(json!({"url": format!("http://127.0.0.1:{port}/dev"), "events": ["a.b"]}))
        .await;
    let mut child = hookshape()
        .args([
            "listen",
            "--port",
            &port.to_string(),
            "--json",
            "--secret",
            sub["secret"].as_str().expect("secret"),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn listen");
    let stdout = child.stdout.take().expect("stdout");
    let lines = std::thread::spawn(move || {
        use std::io::BufRead;
        std::io::BufReader::new(stdout)
            .lines()
            .next()
            .map(|l| l.expect("line"))
    });
    // The listener may take a moment to bind: the delivery is retried until it answers.
    app.publish(json!({"type": "a.b", "object": {"hello": "listen"}}))
        .await;
    let line = tokio::task::spawn_blocking(move || lines.join().expect("join"))
        .await
        .expect("join")
        .expect("a line");
    let _ = child.kill();
    let _ = child.wait();
    let printed: Value = serde_json::from_str(&line).expect("json line");
    assert_eq!(printed["path"], "/dev");
    assert_eq!(printed["body"]["data"]["hello"], "listen");
    assert!(
        printed["signature"]
            .as_str()
            .expect("verdict")
            .starts_with("valid: "),
        "{printed}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plugin_made_with_plugin_new_builds_uploads_and_runs() {
    let work = tempfile::tempdir().expect("tempdir");
    let dir = work.path().join("crm-envelope");
    let out = hookshape()
        .args(["plugin", "new", "crm-envelope", "--dir"])
        .arg(&dir)
        .output()
        .expect("new");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = hookshape()
        .args(["plugin", "new", "crm-envelope", "--dir"])
        .arg(&dir)
        .output()
        .expect("new");
    assert!(!again.status.success());
    let bad = hookshape()
        .args(["plugin", "new", "Not A Name"])
        .output()
        .expect("new");
    assert!(!bad.status.success());
    // The project carries its own copy of the SDK and names nothing outside itself: moved
    // elsewhere, it still builds.
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("manifest");
    assert!(
        manifest.contains(r#"hookshape-sdk = { path = "hookshape-sdk" }"#),
        "{manifest}"
    );
    assert!(dir.join("hookshape-sdk/wit/plugin.wit").exists());
    let moved = work.path().join("elsewhere");
    std::fs::rename(&dir, &moved).expect("move the project");
    let dir = moved;

    // Build into the tests' plugin target directory, where the SDK's dependencies are built.
    let target = std::path::PathBuf::from(env!("HOOKSHAPE_PLUGIN_DIR"))
        .join("../../..")
        .join("scaffolded");
    let built = tokio::task::spawn_blocking({
        let dir = dir.clone();
        let target = target.clone();
        move || {
            hookshape()
                .args(["plugin", "build"])
                .arg(&dir)
                .env("CARGO_TARGET_DIR", &target)
                .output()
                .expect("build")
        }
    })
    .await
    .expect("join");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let printed = String::from_utf8_lossy(&built.stdout);
    let wasm = printed.split(" (").next().expect("path").trim().to_owned();
    assert!(wasm.ends_with("crm_envelope.wasm"), "{printed}");

    let app = TestApp::spawn().await;
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_hookshape-cli"))
        .args(["plugin", "upload", &wasm, "--name", "crm", "--json"])
        .env("HOOKSHAPE_URL", &app.base)
        .env("HOOKSHAPE_TOKEN", TOKEN)
        .output()
        .await
        .expect("upload");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let uploaded: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(uploaded["name"], "crm");
    let run = app
        .call(
            "POST",
            &format!("/v1/plugins/{}/run", uploaded["id"].as_str().expect("id")),
            Some(json!({"config": {"source": "crm"}, "event": {"type": "member.created", "object": {"id": "m_1"}}})),
        )
        .await;
    let body: Value = serde_json::from_str(run.body["body"].as_str().expect("body")).expect("json");
    assert_eq!(body["source"], "crm");
    assert_eq!(body["data"], json!({"id": "m_1"}));
}

/// `plugin new --lang`, `plugin build` and `plugin run` for a Python and a JavaScript plugin,
/// with the toolchains found on PATH as a user would have them.
#[test]
fn python_and_javascript_plugins_made_with_plugin_new_build_and_run() {
    let plugins = hookshape_tests::lang::plugins_dir()
        .canonicalize()
        .expect("plugins/");
    let tmp = tempfile::tempdir().expect("tmp");
    for (lang, tools) in [
        ("python", "python/.venv/bin"),
        ("js", "js/node_modules/.bin"),
    ] {
        let dir = tmp.path().join(format!("crm-{lang}"));
        let made = hookshape()
            .args(["plugin", "new", "crm", "--lang", lang, "--dir"])
            .arg(&dir)
            .output()
            .expect("new");
        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );

        // Without the toolchain the build says what to install, and fails.
        let bare = hookshape()
            .args(["plugin", "build"])
            .arg(&dir)
            .env("PATH", "/usr/bin:/bin")
            .output()
            .expect("build");
        let said = String::from_utf8_lossy(&bare.stderr);
        assert!(!bare.status.success());
        assert!(said.contains("install it with"), "{said}");

        let path = format!(
            "{}:{}",
            plugins.join(tools).display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let built = hookshape()
            .args(["plugin", "build"])
            .arg(&dir)
            .env("PATH", &path)
            .output()
            .expect("build");
        assert!(
            built.status.success(),
            "{lang}: {}",
            String::from_utf8_lossy(&built.stderr)
        );
        let wasm = dir.join("build/plugin.wasm");
        assert!(wasm.is_file(), "{lang}: no component");

        let run = hookshape()
            .args([
                "plugin",
                "run",
                "--no-cache",
                "--json",
                "--timeout-ms",
                "1000",
                "--config",
            ])
            .arg(r#"{"source": "crm"}"#)
            .arg("--event")
            .arg(r#"{"type": "contact.created", "id": "evt_1", "object": {"x": 1}}"#)
            .arg(&wasm)
            .output()
            .expect("run");
        assert!(
            run.status.success(),
            "{lang}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let report: Value = serde_json::from_slice(&run.stdout).expect("json");
        assert_eq!(
            report["body"],
            r#"{"id":"evt_1","type":"contact.created","source":"crm","data":{"x":1}}"#,
            "{lang}"
        );
    }
}

/// `plugin build --watch --run`: each save of the source builds again and runs the plugin on
/// the event, so the author sees the new output without another command.
#[test]
fn plugin_build_watch_builds_and_runs_again_after_each_edit() {
    let plugins = hookshape_tests::lang::plugins_dir()
        .canonicalize()
        .expect("plugins/");
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("crm-watch");
    let made = hookshape()
        .args(["plugin", "new", "crm", "--lang", "python", "--dir"])
        .arg(&dir)
        .output()
        .expect("new");
    assert!(made.status.success());
    let path = format!(
        "{}:{}",
        plugins.join("python/.venv/bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut watch = hookshape()
        .args(["plugin", "build", "--watch"])
        .arg(&dir)
        .args([
            "--run",
            r#"{"type": "contact.created", "id": "evt_1", "object": {"x": 1}}"#,
        ])
        .args(["--config", r#"{"source": "crm"}"#])
        .env("PATH", &path)
        .env("HOOKSHAPE_CACHE_DIR", tmp.path().join("cache"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("watch");
    let (lines, seen) = std::sync::mpsc::channel();
    let stdout = watch.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if lines.send(line).is_err() {
                return;
            }
        }
    });
    let wait_for = |wanted: &str| {
        let deadline = std::time::Instant::now() + Duration::from_secs(180);
        let mut got = Vec::new();
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match seen.recv_timeout(left) {
                Ok(line) if line.contains(wanted) => return,
                Ok(line) => got.push(line),
                Err(_) => break,
            }
        }
        panic!("no line with {wanted:?}; printed: {got:#?}");
    };
    wait_for(r#""source":"crm""#);
    wait_for("watching");
    let app = dir.join("app.py");
    let source = std::fs::read_to_string(&app).expect("app.py");
    std::fs::write(
        &app,
        source.replace(r#""source": self.source"#, r#""origin": self.source"#),
    )
    .expect("edit");
    wait_for(r#""origin":"crm""#);
    let _ = watch.kill();
    let _ = watch.wait();
}
