//! The client libraries in `sdks/`: their generated layers match the server's OpenAPI document
//! (regenerated here with the pinned generators and compared), and each library — Python
//! under the pinned venv, TypeScript built and run under Node — publishes to a real server,
//! lists the deliveries, and verifies real requests under all four signing schemes
//! (`tests/sdk/check.py`, `tests/sdk/check.mjs`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use hookshape_tests::app::{TOKEN, TestApp};
use hookshape_tests::receiver::TestReceiver;
use serde_json::{Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("root")
        .to_path_buf()
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{:?}: {}{}",
        cmd,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every file under `dir`, by its path inside it.
fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                if entry.file_name() != "__pycache__" {
                    stack.push(path);
                }
            } else {
                let name = path
                    .strip_prefix(dir)
                    .expect("inside")
                    .display()
                    .to_string();
                files.insert(name, std::fs::read(&path).expect("read"));
            }
        }
    }
    files
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_generated_layers_match_the_servers_document() {
    let app = TestApp::spawn().await;
    let served = app.call("GET", "/openapi.json", None).await.body;
    let root = root();
    let kept: Value = serde_json::from_slice(
        &std::fs::read(root.join("sdks/openapi.json")).expect("sdks/openapi.json"),
    )
    .expect("json");
    assert!(
        served == kept,
        "sdks/openapi.json is stale: run `bash sdks/generate`"
    );

    let tmp = tempfile::tempdir().expect("tempdir");
    let generated = tmp.path().join("_api");
    run(
        Command::new(root.join("sdks/python/.venv/bin/openapi-python-client"))
            .env("PYTHONHASHSEED", "0")
            .args(["generate", "--meta", "none", "--path"])
            .arg(root.join("sdks/openapi.json"))
            .arg("--output-path")
            .arg(&generated)
            .arg("--config")
            .arg(root.join("sdks/python/generator.yaml")),
    );
    let fresh = tree(&generated);
    let checked_in = tree(&root.join("sdks/python/hookshape/_api"));
    assert!(fresh.len() > 50, "{} files generated", fresh.len());
    assert_eq!(
        fresh.keys().collect::<Vec<_>>(),
        checked_in.keys().collect::<Vec<_>>(),
        "the Python client's files are stale: run `bash sdks/generate`"
    );
    let stale: Vec<&String> = fresh
        .iter()
        .filter(|(name, text)| checked_in.get(*name) != Some(*text))
        .map(|(name, _)| name)
        .collect();
    assert!(
        stale.is_empty(),
        "stale Python files {stale:?}: run `bash sdks/generate`"
    );

    let types = tmp.path().join("schema.d.ts");
    run(
        Command::new(root.join("sdks/typescript/node_modules/.bin/openapi-typescript"))
            .arg(root.join("sdks/openapi.json"))
            .arg("-o")
            .arg(&types),
    );
    assert!(
        std::fs::read(&types).expect("types")
            == std::fs::read(root.join("sdks/typescript/src/schema.d.ts")).expect("schema.d.ts"),
        "sdks/typescript/src/schema.d.ts is stale: run `bash sdks/generate`"
    );
}

/// A server with one subscription per signing scheme, all to one receiver.
async fn four_schemes(
    app: &TestApp,
    receiver: &TestReceiver,
) -> Vec<(String, Option<String>, String)> {
    let mut subs = Vec::new();
    for (scheme, header, secret) in [
        ("standard-webhooks", None, None),
        (
            "hex-hmac",
            Some("X-Famly-Hmac"),
            Some("famly-shared-secret-0123456789"),
        ),
        (
            "timestamped-hmac",
            Some("officernd-signature"),
            Some("officernd-secret-0123456789"),
        ),
        ("body-signature", None, Some("firm-app-secret-0123456789")),
    ] {
        let mut signing = json!({"scheme": scheme});
        if let Some(h) = header {
            signing["header"] = json!(h);
        }
        let mut body = json!({"url": receiver.url(&format!("/{scheme}")), "events": ["member.*"],
                              "signing": signing});
        if let Some(s) = secret {
            body["secret"] = json!(s);
        }
        let created = app.subscribe(body).await;
        let secret = created["secret"].as_str().expect("secret").to_owned();
        subs.push((scheme.to_owned(), header.map(str::to_owned), secret));
    }
    subs
}

async fn check_sdk(program: &str, script: &str, env: &[(&str, String)], event_id: &str) {
    // Two events a second (bursts of four): a burst of six meets a 429 and waits it out.
    let app = TestApp::spawn_with(|c| c.quotas.publish_per_second = Some(2)).await;
    let receiver = TestReceiver::start().await;
    let subs = four_schemes(&app, &receiver).await;
    let tmp = tempfile::tempdir().expect("tempdir");
    let job = |step: &str, extra: Value| {
        let mut j = json!({"step": step, "url": app.base, "token": TOKEN, "expect": 4});
        if let (Some(j), Some(e)) = (j.as_object_mut(), extra.as_object()) {
            j.extend(e.clone());
        }
        j
    };
    let call = |name: &str, job: Value| {
        let input = tmp.path().join(format!("{name}.in.json"));
        let output = tmp.path().join(format!("{name}.out.json"));
        std::fs::write(&input, job.to_string()).expect("write");
        let mut cmd = Command::new(program);
        cmd.arg(root().join(script)).arg(&input).arg(&output);
        for (k, v) in env {
            cmd.env(k, v);
        }
        run(&mut cmd);
        serde_json::from_slice::<Value>(&std::fs::read(&output).expect("output")).expect("json")
    };

    let published = tokio::task::block_in_place(|| call("publish", job("publish", json!({}))));
    assert_eq!(published["first"]["id"], event_id, "{published}");
    assert_eq!(published["first"]["deliveries"], 4, "{published}");
    assert_eq!(
        published["again"]["duplicate"], true,
        "an id publishes once: {published}"
    );
    let deliveries = published["deliveries"].as_array().expect("deliveries");
    assert_eq!(
        deliveries.len(),
        4,
        "listed across pages of two: {published}"
    );
    assert!(
        deliveries.iter().all(|d| d["status"] == "succeeded"),
        "{published}"
    );
    assert_eq!(published["error"]["status"], 422, "{published}");
    assert_eq!(published["error"]["code"], "invalid_event_type");
    assert!(
        published["error"]["detail"]
            .as_str()
            .is_some_and(|d| !d.is_empty())
    );
    assert_eq!(published["unknown_workspace"], "not_found", "{published}");

    let burst = tokio::task::block_in_place(|| call("burst", job("burst", json!({}))));
    let ids: Vec<String> = (0..6).map(|n| format!("burst_{n}")).collect();
    assert_eq!(burst["ids"], json!(ids), "{burst}");
    assert!(
        burst["seconds"].as_f64().expect("seconds") >= 0.5,
        "the client waited for the rate to allow more: {burst}"
    );

    let got = receiver.wait_for(4, Duration::from_secs(10)).await;
    let requests: Vec<Value> = subs
        .iter()
        .map(|(scheme, header, secret)| {
            let r = got
                .iter()
                .find(|r| r.path == format!("/{scheme}") && r.body.contains("Ada"))
                .unwrap_or_else(|| panic!("a request signed with {scheme}"));
            json!({"scheme": scheme, "header": header, "secret": secret,
                   "headers": r.headers, "body": r.body})
        })
        .collect();
    let verified = tokio::task::block_in_place(|| {
        call("verify", job("verify", json!({"requests": requests})))
    });
    let results = verified["results"].as_array().expect("results");
    assert_eq!(results.len(), 4);
    for r in results {
        let scheme = r["scheme"].as_str().expect("scheme");
        assert_eq!(r["valid"], "valid", "{r}");
        assert!(
            r["tampered"]
                .as_str()
                .expect("verdict")
                .starts_with("invalid: "),
            "{r}"
        );
        let timed = matches!(scheme, "standard-webhooks" | "timestamped-hmac");
        assert_eq!(
            r["late"]
                .as_str()
                .expect("verdict")
                .starts_with("invalid: timestamp"),
            timed,
            "an hour late is refused where the signature carries a time: {r}"
        );
    }

    // Plugins, the catalog and candidates, in a workspace.
    app.create_workspace("acme", None).await;
    let wasm = hookshape_tests::plugin_path("select-fields");
    let resources = tokio::task::block_in_place(|| {
        call(
            "resources",
            job(
                "resources",
                json!({"workspace": "acme", "wasm": wasm, "receiver": receiver.url("/candidate")}),
            ),
        )
    });
    let plugin = resources["plugin"]["id"].as_str().expect("plugin id");
    assert_eq!(resources["plugin"]["name"], "select", "{resources}");
    assert_eq!(resources["listed_plugin"], json!(["select"]), "{resources}");
    assert_eq!(resources["run"]["outcome"], "deliver", "{resources}");
    let body = resources["run"]["body"].as_str().expect("body");
    assert!(body.contains("m_1") && !body.contains("Ada"), "{body}");
    assert_eq!(resources["event_type"]["deprecated"], true, "{resources}");
    assert_eq!(
        resources["event_type"]["description"],
        "An invoice was paid"
    );
    assert_eq!(resources["event_type"]["example"], json!({"id": "inv_1"}));
    assert_eq!(resources["listed_type"], json!(["invoice.paid"]));
    assert_eq!(
        resources["candidate"]["candidate"]["plugin"]["id"], plugin,
        "{resources}"
    );
    assert_eq!(resources["promoted"]["plugin"]["id"], plugin, "{resources}");
    assert_eq!(resources["type_gone"], "not_found", "{resources}");
    assert!(
        !resources["plugins_after"]
            .as_array()
            .expect("plugins")
            .contains(&json!(plugin)),
        "{resources}"
    );
    assert_eq!(resources["traced"], "evt_traced");
    let in_acme = app.call("GET", "/v1/workspaces/acme/plugins", None).await;
    assert_eq!(in_acme.body["data"], json!([]), "{in_acme:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_sdk_publishes_lists_and_verifies_every_scheme() {
    let root = root();
    check_sdk(
        root.join("sdks/python/.venv/bin/python")
            .to_str()
            .expect("path"),
        "tests/sdk/check.py",
        &[("PYTHONPATH", root.join("sdks/python").display().to_string())],
        "evt_py",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_typescript_sdk_publishes_lists_and_verifies_every_scheme_under_node() {
    check_sdk("node", "tests/sdk/check.mjs", &[], "evt_ts").await;
}

/// Copies a source tree, without virtual environments, build output or caches.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("dir");
    for entry in std::fs::read_dir(from).expect("dir").flatten() {
        let name = entry.file_name();
        if [".venv", "build", "__pycache__"].iter().any(|n| name == *n) {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).expect("copy");
        }
    }
}

/// The first code block of `lang` in a README.
fn example(readme: &str, lang: &str) -> String {
    let text = std::fs::read_to_string(root().join(readme)).expect("readme");
    text.split(&format!("```{lang}\n"))
        .nth(1)
        .and_then(|block| block.split("\n```").next())
        .unwrap_or_else(|| panic!("a {lang} example in {readme}"))
        .to_owned()
}

/// Runs a README example against a server with one endpoint; what it printed.
async fn run_example(program: &str, file: &Path, env: &[(&str, String)]) -> (TestApp, String) {
    let app = TestApp::spawn().await;
    let receiver = TestReceiver::start().await;
    let mut cmd = Command::new(program);
    cmd.arg(file)
        .env("HOOKSHAPE_URL", &app.base)
        .env("HOOKSHAPE_TOKEN", TOKEN)
        .env("ENDPOINT", receiver.url("/readme"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let printed = tokio::task::block_in_place(|| run(&mut cmd));
    receiver.wait_for(1, Duration::from_secs(10)).await;
    (app, printed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_readme_example_runs_from_the_built_wheel() {
    let root = root();
    let tmp = tempfile::tempdir().expect("tempdir");
    let python = root.join("sdks/python/.venv/bin/python");
    // Built and installed as a user would, without the network, from a copy (the build
    // writes beside the sources).
    let source = tmp.path().join("source");
    copy_tree(&root.join("sdks/python"), &source);
    run(Command::new(&python)
        .args([
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-build-isolation",
            "--no-deps",
            "-w",
        ])
        .arg(tmp.path().join("wheels"))
        .arg(&source));
    let wheel = std::fs::read_dir(tmp.path().join("wheels"))
        .expect("wheels")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "whl"))
        .expect("a wheel");
    run(Command::new(&python)
        .args(["-m", "pip", "install", "--quiet", "--no-deps", "--target"])
        .arg(tmp.path().join("site"))
        .arg(&wheel));
    let script = tmp.path().join("example.py");
    std::fs::write(&script, example("sdks/python/README.md", "python")).expect("write");
    let (app, printed) = run_example(
        python.to_str().expect("path"),
        &script,
        &[("PYTHONPATH", tmp.path().join("site").display().to_string())],
    )
    .await;
    let delivery = printed.lines().next().expect("a delivery printed");
    let (event_type, id) = delivery.split_once(' ').expect("type and id");
    assert_eq!(event_type, "member.updated");
    let shown = app.call("GET", &format!("/v1/deliveries/{id}"), None).await;
    assert_eq!(shown.body["eventId"], "evt_readme", "{:?}", shown.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_typescript_readme_example_runs_from_the_package_under_node() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // The package as `npm install` lays it out: its package.json names the ESM build.
    let modules = tmp.path().join("node_modules");
    std::fs::create_dir(&modules).expect("node_modules");
    std::os::unix::fs::symlink(root().join("sdks/typescript"), modules.join("hookshape"))
        .expect("link");
    let script = tmp.path().join("example.mjs");
    std::fs::write(&script, example("sdks/typescript/README.md", "js")).expect("write");
    let (app, printed) = run_example("node", &script, &[]).await;
    let delivery = printed.lines().next().expect("a delivery printed");
    let (event_type, id) = delivery.split_once(' ').expect("type and id");
    assert_eq!(event_type, "member.updated");
    let shown = app.call("GET", &format!("/v1/deliveries/{id}"), None).await;
    assert_eq!(shown.body["eventId"], "evt_readme", "{:?}", shown.body);
}
