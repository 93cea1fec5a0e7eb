//! Python and JavaScript plugins, built by `hookshape plugin build` from `plugins/python` and
//! `plugins/js`, run by the same runtime as Rust ones: the seed envelopes byte for byte
//! against the Rust versions, and the WASI their toolchains link reaching no file and no
//! network.

use hookshape::model::changed_fields;
use hookshape::plugin::{Event, Failure, Limits, Outcome, PluginOptions};
use hookshape_tests::lang::lang_plugin;
use hookshape_tests::{plugin_bytes, prepare_shared, shared_runtime};
use serde_json::{Value, json};

const CLI: &str = env!("CARGO_BIN_EXE_hookshape-cli");

/// One event, as the host would hand it to any plugin.
struct Sample {
    event_type: &'static str,
    object: Value,
    previous: Option<Value>,
    tenant: Option<&'static str>,
}

fn sample(event_type: &'static str, object: Value, previous: Option<Value>) -> Sample {
    Sample {
        event_type,
        object,
        previous,
        tenant: None,
    }
}

/// Runs a component on each sample with one config; the outcome (or failure) of each.
fn run(wasm: &[u8], config: &Value, samples: &[Sample]) -> Vec<Result<Outcome, Failure>> {
    let plugin = prepare_shared(wasm, &config.to_string());
    samples
        .iter()
        .map(|s| {
            let object = s.object.to_string();
            let previous = s.previous.as_ref().map(Value::to_string);
            let changed = s
                .previous
                .as_ref()
                .map_or_else(Vec::new, |p| changed_fields(&s.object, p));
            plugin
                .transform(&Event {
                    id: "5dc5bfcf-59b6-46d2-a1c9-b9d41e9f61c7",
                    event_type: s.event_type,
                    occurred_at: "2023-10-05T10:47:21.123Z",
                    tenant: s.tenant,
                    object: &object,
                    previous: previous.as_deref(),
                    changed_fields: &changed,
                    attempt_id: "01HBZQ60T0E834D3KCE7P3TVF3",
                    attempt: 2,
                })
                .result
        })
        .collect()
}

/// Asserts that two plugins give the same outcomes, byte for byte, on every sample and
/// config, and that at least one sample was delivered.
fn same_as_rust(rust: &str, other: &[u8], configs: &[Value], samples: &[Sample]) {
    let rust = plugin_bytes(rust);
    let mut delivered = 0;
    for config in configs {
        let want = run(&rust, config, samples);
        let got = run(other, config, samples);
        for ((w, g), s) in want.iter().zip(&got).zip(samples) {
            assert_eq!(g, w, "{} with config {config}", s.event_type);
            delivered += usize::from(matches!(w, Ok(Outcome::Deliver { .. })));
        }
    }
    assert!(
        delivered > 0,
        "nothing was delivered: the comparison is empty"
    );
}

fn member_samples() -> Vec<Sample> {
    let mut with_tenant = sample(
        "child.checked_in",
        json!({"childId": "c1", "name": "Ada", "site": "Ørsted"}),
        None,
    );
    with_tenant.tenant = Some("site-42");
    vec![
        sample(
            "member.created",
            json!({"_id": "m1", "name": "Jo \"the\" Ö", "status": "active", "tags": ["a", {"k": 1}]}),
            None,
        ),
        sample(
            "member.updated",
            json!({"_id": "m1", "status": "active", "name": "Jo", "n": 1, "nested": {"a": [1, 2]}, "company": "c9"}),
            Some(
                json!({"_id": "m1", "status": "drop-in", "name": "Jo", "n": 1.5, "nested": {"a": [1]}, "gone": true}),
            ),
        ),
        sample("member.updated", json!({"_id": "m1", "status": "x"}), None),
        sample(
            "company.paymentdetails.removed",
            json!({"_id": "p1", "company": "c1", "amount": 12.5}),
            None,
        ),
        sample(
            "invoice.charge.deleted",
            json!({"id": 7, "unicode": "\u{1F600}\n\t"}),
            None,
        ),
        sample(
            "booking.verified",
            json!({"id": "b", "internal": true}),
            None,
        ),
        with_tenant,
    ]
}

#[test]
fn python_officernd_envelope_matches_rust_byte_for_byte() {
    let python = lang_plugin(CLI, "python/previous-attributes");
    same_as_rust(
        "previous-attributes",
        &python,
        &[json!({}), json!({"parentField": "company"})],
        &member_samples(),
    );
}

#[test]
fn javascript_famly_envelope_matches_rust_byte_for_byte() {
    let js = lang_plugin(CLI, "js/famly-envelope");
    same_as_rust(
        "famly-envelope",
        &js,
        &[
            json!({}),
            json!({"objectTypes": {"child": "Child", "member": "Person"}}),
        ],
        &member_samples(),
    );
}

#[test]
fn filters_in_python_and_javascript_match_rust() {
    let configs = [
        json!({"field": "status", "equals": "active"}),
        json!({"field": "status", "in": ["x", "drop-in"]}),
        json!({"field": "nested.a", "equals": [1, 2]}),
        json!({"field": "name", "in": ["Jo", null]}),
        json!({"field": "tags.1.k", "equals": 1}),
    ];
    let mut samples = member_samples();
    samples.push(sample("member.updated", json!({"name": null}), None));
    for rel in ["python/filter", "js/filter"] {
        same_as_rust("filter", &lang_plugin(CLI, rel), &configs, &samples);
    }
}

#[test]
fn templates_in_python_and_javascript_match_rust() {
    for rel in ["python/template", "js/template"] {
        same_as_rust(
            "template",
            &lang_plugin(CLI, rel),
            &[json!({}), json!({"source": "crm"})],
            &member_samples(),
        );
    }
}

#[test]
fn a_refused_config_says_why_in_every_language() {
    let rt = shared_runtime();
    for (rel, wasm) in [
        ("python", lang_plugin(CLI, "python/filter")),
        ("js", lang_plugin(CLI, "js/filter")),
    ] {
        let code = rt.load(&wasm).expect("load");
        let err = rt
            .prepare(
                code,
                r#"{"field": 3}"#,
                // The error is the point, not the time: a loaded machine may take more than
                // the default 100 ms to start an interpreter's first call.
                Limits {
                    timeout_ms: 1_000,
                    ..Limits::default()
                },
                PluginOptions::default(),
            )
            .err()
            .unwrap_or_else(|| panic!("{rel}: a config without a string field must be refused"));
        assert!(
            err.to_string().contains("`field` (a string) is required"),
            "{rel}: {err}"
        );
    }
}

fn probe(event_type: &'static str, object: Value) -> Result<Outcome, Failure> {
    let wasm = lang_plugin(CLI, "python/sandbox-probe");
    run(&wasm, &json!({}), &[sample(event_type, object, None)]).remove(0)
}

fn reason(result: Result<Outcome, Failure>) -> String {
    match result {
        Err(Failure::PluginError { message }) => message,
        other => panic!("expected the plugin's own error, got {other:?}"),
    }
}

#[test]
fn python_reaches_no_file_no_socket_and_no_environment() {
    // A file that exists on the host, and a listing of its root directory.
    assert!(std::path::Path::new("/etc/passwd").exists());
    let read = reason(probe("probe.file", json!({"path": "/etc/passwd"})));
    assert!(read.starts_with("FileNotFoundError"), "{read}");
    let listed = reason(probe("probe.listdir", json!({})));
    assert!(listed.starts_with("FileNotFoundError"), "{listed}");

    // A listener that is really there: the plugin still cannot connect to it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let connect = reason(probe("probe.connect", json!({"port": port})));
    assert!(connect.starts_with("PermissionError"), "{connect}");
    listener.set_nonblocking(true).expect("nonblocking");
    assert!(listener.accept().is_err(), "nothing may have connected");

    let env = match probe("probe.env", json!({})) {
        Ok(Outcome::Deliver { body, .. }) => serde_json::from_str::<Value>(&body).expect("json"),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        env["env"],
        json!({}),
        "the host's environment must not leak"
    );
}

#[test]
fn a_python_exception_fails_only_that_call_with_its_message() {
    assert_eq!(reason(probe("probe.raise", json!({}))), "ValueError: boom");
    // The same instance goes on.
    assert!(matches!(probe("probe.other", json!({})), Ok(Outcome::Drop)));
}
