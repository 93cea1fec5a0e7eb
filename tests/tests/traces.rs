//! OpenTelemetry traces from the real binary to a real OTLP/HTTP receiver started here (it
//! decodes the protobuf the collector would): one trace from the publisher's `traceparent`
//! through the publish, the store write, the plugin call and the attempt, to the endpoint,
//! which gets the attempt's `traceparent`.

use std::collections::HashMap;
use std::process::Child;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hookshape_tests::child::{free_port, serve_command, wait_healthy};
use hookshape_tests::receiver::TestReceiver;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::any_value::Value as Any;
use prost::Message as _;
use serde_json::{Value, json};

const TOKEN: &str = "traces-test-token";
const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_ID: &str = "00f067aa0ba902b7";

/// One exported span, flattened.
#[derive(Debug, Clone)]
struct Span {
    name: String,
    trace_id: String,
    span_id: String,
    parent_id: String,
    service: String,
    attributes: HashMap<String, String>,
}

/// An OTLP/HTTP receiver on loopback: every span posted to `/v1/traces`.
struct Collector {
    url: String,
    spans: Arc<Mutex<Vec<Span>>>,
    _task: tokio::task::JoinHandle<()>,
}

impl Collector {
    async fn start() -> Self {
        let spans: Arc<Mutex<Vec<Span>>> = Arc::default();
        let kept = spans.clone();
        let app = axum::Router::new().route(
            "/v1/traces",
            axum::routing::post(
                move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                    let kept = kept.clone();
                    async move {
                        assert_eq!(
                            headers.get("content-type").and_then(|v| v.to_str().ok()),
                            Some("application/x-protobuf")
                        );
                        let request =
                            ExportTraceServiceRequest::decode(body).expect("OTLP protobuf");
                        kept.lock().expect("lock").extend(flatten(&request));
                        axum::http::StatusCode::OK
                    }
                },
            ),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("collector");
        });
        Collector {
            url,
            spans,
            _task: task,
        }
    }

    /// Waits until spans named `names` have all arrived (at least once each).
    async fn wait_for(&self, names: &[&str]) -> Vec<Span> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let spans = self.spans.lock().expect("lock").clone();
            if names.iter().all(|n| spans.iter().any(|s| s.name == *n)) {
                return spans;
            }
            assert!(
                Instant::now() < deadline,
                "spans {names:?} did not all arrive; got {spans:#?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

fn text(value: Option<&opentelemetry_proto::tonic::common::v1::AnyValue>) -> String {
    match value.and_then(|v| v.value.as_ref()) {
        Some(Any::StringValue(s)) => s.clone(),
        Some(Any::IntValue(n)) => n.to_string(),
        Some(Any::BoolValue(b)) => b.to_string(),
        Some(Any::DoubleValue(d)) => d.to_string(),
        other => format!("{other:?}"),
    }
}

fn flatten(request: &ExportTraceServiceRequest) -> Vec<Span> {
    let mut out = Vec::new();
    for resource in &request.resource_spans {
        let service = resource
            .resource
            .iter()
            .flat_map(|r| &r.attributes)
            .find(|kv| kv.key == "service.name")
            .map(|kv| text(kv.value.as_ref()))
            .unwrap_or_default();
        for scope in &resource.scope_spans {
            for span in &scope.spans {
                out.push(Span {
                    name: span.name.clone(),
                    trace_id: hex::encode(&span.trace_id),
                    span_id: hex::encode(&span.span_id),
                    parent_id: hex::encode(&span.parent_span_id),
                    service: service.clone(),
                    attributes: span
                        .attributes
                        .iter()
                        .map(|kv| (kv.key.clone(), text(kv.value.as_ref())))
                        .collect(),
                });
            }
        }
    }
    out
}

fn one<'a>(spans: &'a [Span], name: &str) -> &'a Span {
    let found: Vec<&Span> = spans.iter().filter(|s| s.name == name).collect();
    assert_eq!(found.len(), 1, "one {name} span: {spans:#?}");
    found[0]
}

struct Server {
    child: Child,
    base: String,
    client: reqwest::Client,
    _data: tempfile::TempDir,
}

impl Server {
    async fn start(extra: &[&str]) -> Self {
        let data = tempfile::tempdir().expect("tempdir");
        let port = free_port();
        let child = serve_command(
            env!("CARGO_BIN_EXE_hookshape-cli"),
            data.path(),
            port,
            TOKEN,
        )
        .args(extra)
        // Spans leave in batches; a short delay keeps the test quick.
        .env("OTEL_BSP_SCHEDULE_DELAY", "100")
        .spawn()
        .expect("spawn hookshape");
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        wait_healthy(&client, &base).await;
        Server {
            child,
            base,
            client,
            _data: data,
        }
    }

    async fn call(&self, method: &str, path: &str, body: Value, headers: &[(&str, &str)]) -> Value {
        let mut req = self
            .client
            .request(
                method.parse().expect("method"),
                format!("{}{path}", self.base),
            )
            .bearer_auth(TOKEN)
            .json(&body);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let r = req.send().await.expect("request");
        assert!(r.status().is_success(), "{path}: {}", r.status());
        r.json().await.expect("json")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_publish_and_its_attempt_are_one_trace_continued_by_the_endpoint() {
    let collector = Collector::start().await;
    let rx = TestReceiver::start().await;
    let server = Server::start(&["--otlp-endpoint", &collector.url]).await;
    let plugin = server
        .client
        .post(format!("{}/v1/plugins", server.base))
        .bearer_auth(TOKEN)
        .body(hookshape_tests::plugin_bytes("select-fields"))
        .send()
        .await
        .expect("upload");
    assert!(plugin.status().is_success(), "{}", plugin.status());
    let plugin: Value = plugin.json().await.expect("json");
    let sub = server
        .call(
            "POST",
            "/v1/subscriptions",
            json!({"url": rx.url("/hooks"), "events": ["member.*"],
                "plugin": {"id": plugin["id"], "config": {"fields": ["id"]}}}),
            &[],
        )
        .await;

    let traceparent = format!("00-{TRACE_ID}-{PARENT_ID}-01");
    server
        .call(
            "POST",
            "/v1/events",
            json!({"id": "evt_traced", "type": "member.updated", "object": {"id": "m1"}}),
            &[("traceparent", &traceparent)],
        )
        .await;
    let got = rx.wait_for(1, Duration::from_secs(15)).await;
    let spans = collector
        .wait_for(&[
            "publish",
            "store.publish",
            "attempt",
            "plugin",
            "store.record",
        ])
        .await;

    // Every span is in the publisher's trace, from the service `hookshape`.
    assert!(spans.iter().all(|s| s.trace_id == TRACE_ID), "{spans:#?}");
    assert!(spans.iter().all(|s| s.service == "hookshape"));
    let publish = one(&spans, "publish");
    assert_eq!(publish.parent_id, PARENT_ID);
    assert_eq!(publish.attributes["event.id"], "evt_traced");
    assert_eq!(publish.attributes["event.type"], "member.updated");
    assert_eq!(publish.attributes["workspace"], "default");
    assert_eq!(publish.attributes["deliveries"], "1");
    assert_eq!(one(&spans, "store.publish").parent_id, publish.span_id);

    let attempt = one(&spans, "attempt");
    assert_eq!(attempt.parent_id, publish.span_id);
    assert_eq!(
        attempt.attributes["subscription.id"],
        sub["id"].as_str().expect("id")
    );
    assert_eq!(attempt.attributes["attempt.number"], "1");
    assert_eq!(attempt.attributes["http.response.status_code"], "200");
    assert!(!attempt.attributes.contains_key("error.code"));
    let call = one(&spans, "plugin");
    assert_eq!(call.parent_id, attempt.span_id);
    assert_eq!(
        call.attributes["plugin.id"],
        plugin["id"].as_str().expect("id")
    );
    assert!(
        call.attributes["plugin.memory_bytes"]
            .parse::<u64>()
            .expect("bytes")
            > 0
    );
    assert!(call.attributes.contains_key("plugin.duration_ms"));
    assert_eq!(one(&spans, "store.record").parent_id, attempt.span_id);

    // The endpoint can continue the attempt's span.
    assert_eq!(
        got[0].header("traceparent"),
        Some(format!("00-{TRACE_ID}-{}-01", attempt.span_id).as_str())
    );
    // And the attempt record shows what was sent.
    let deliveries = server
        .call("GET", "/v1/events/evt_traced/deliveries", json!(null), &[])
        .await;
    assert_eq!(deliveries["data"][0]["status"], "succeeded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sampling_keeps_a_sampled_caller_and_drops_the_rest_and_off_sends_nothing() {
    let collector = Collector::start().await;
    let rx = TestReceiver::start().await;
    let server = Server::start(&[
        "--otlp-endpoint",
        &format!("{}/v1/traces", collector.url),
        "--trace-sample-ratio",
        "0",
    ])
    .await;
    server
        .call(
            "POST",
            "/v1/subscriptions",
            json!({"url": rx.url("/s"), "events": ["*"]}),
            &[],
        )
        .await;
    // Not sampled by the ratio: no spans, and the endpoint is told so (flags 00).
    server
        .call(
            "POST",
            "/v1/events",
            json!({"id": "evt_dropped", "type": "a.b", "object": {}}),
            &[],
        )
        .await;
    let got = rx.wait_for(1, Duration::from_secs(15)).await;
    let unsampled = got[0].header("traceparent").expect("traceparent");
    assert!(
        unsampled.starts_with("00-") && unsampled.ends_with("-00"),
        "{unsampled}"
    );
    // A caller that sampled its trace is kept whatever the ratio.
    let traceparent = format!("00-{TRACE_ID}-{PARENT_ID}-01");
    server
        .call(
            "POST",
            "/v1/events",
            json!({"id": "evt_kept", "type": "a.b", "object": {}}),
            &[("traceparent", &traceparent)],
        )
        .await;
    rx.wait_for(2, Duration::from_secs(15)).await;
    let spans = collector.wait_for(&["publish", "attempt"]).await;
    assert!(spans.iter().all(|s| s.trace_id == TRACE_ID), "{spans:#?}");
    assert_eq!(one(&spans, "publish").attributes["event.id"], "evt_kept");

    // Without --otlp-endpoint: no header, whatever the publisher sent.
    let plain = Server::start(&[]).await;
    let rx2 = TestReceiver::start().await;
    plain
        .call(
            "POST",
            "/v1/subscriptions",
            json!({"url": rx2.url("/s"), "events": ["*"]}),
            &[],
        )
        .await;
    plain
        .call(
            "POST",
            "/v1/events",
            json!({"id": "evt_plain", "type": "a.b", "object": {}}),
            &[("traceparent", &traceparent)],
        )
        .await;
    let got = rx2.wait_for(1, Duration::from_secs(15)).await;
    assert_eq!(got[0].header("traceparent"), None);
}

#[test]
fn a_bad_endpoint_or_ratio_is_refused_at_start() {
    for (args, expected) in [
        (
            vec!["--otlp-endpoint", "localhost:4318"],
            "give an http:// or https:// URL",
        ),
        (
            vec![
                "--otlp-endpoint",
                "http://localhost:4318",
                "--trace-sample-ratio",
                "1.5",
            ],
            "between 0 and 1",
        ),
    ] {
        let data = tempfile::tempdir().expect("tempdir");
        let out = serve_command(
            env!("CARGO_BIN_EXE_hookshape-cli"),
            data.path(),
            free_port(),
            TOKEN,
        )
        .args(&args)
        .stderr(std::process::Stdio::piped())
        .output()
        .expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}
