//! What the server tells its operator: logs on stderr and, when asked, OpenTelemetry traces
//! exported over OTLP/HTTP (protobuf). The rest of the code only opens `tracing` spans on
//! [`TARGET`]; this module alone names OpenTelemetry.
//!
//! The spans are filtered per layer: the log layer never sees them (the logs read the same
//! with tracing on or off), and without an exporter nothing enables them, so they cost a
//! disabled callsite's check.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use opentelemetry::propagation::TextMapPropagator;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_http::{Bytes, HttpClient, HttpError, Request, Response};
use opentelemetry_otlp::{WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{Sampler, SdkTracerProvider};
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::Layer as _;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

use crate::deliver::export::Poster;

/// The target of every span meant for the trace exporter.
pub const TARGET: &str = "hookshape::trace";

/// Where traces go and how many are kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Otlp {
    /// The collector's traces URL (`…/v1/traces`).
    pub endpoint: String,
    /// Share of new traces kept, 0 to 1; a caller's sampled `traceparent` is always kept.
    pub sample_ratio: f64,
}

impl Otlp {
    /// `endpoint` as given: a collector's address (`http://localhost:4318`) gets the
    /// standard `/v1/traces` path; a URL with a path is used as it is.
    pub fn new(endpoint: &str, sample_ratio: f64) -> Result<Self, String> {
        let url =
            url::Url::parse(endpoint).map_err(|e| format!("otlpEndpoint `{endpoint}`: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!(
                "otlpEndpoint `{endpoint}`: give an http:// or https:// URL"
            ));
        }
        if !(0.0..=1.0).contains(&sample_ratio) {
            return Err(format!("traceSampleRatio {sample_ratio}: between 0 and 1"));
        }
        let endpoint = if url.path() == "/" {
            format!("{}/v1/traces", endpoint.trim_end_matches('/'))
        } else {
            endpoint.to_owned()
        };
        Ok(Otlp {
            endpoint,
            sample_ratio,
        })
    }
}

/// Keeps the exporter alive; [`Telemetry::shutdown`] sends what is still queued.
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

impl Telemetry {
    /// Exports the spans still queued (blocking: call it off the async workers).
    pub fn shutdown(self) {
        if let Some(provider) = self.provider
            && let Err(e) = provider.shutdown()
        {
            tracing::warn!(error = %e, "traces: the last spans were not exported");
        }
    }
}

/// Installs the global subscriber: logs in `format` (`text` or `json`) filtered by
/// `HOOKSHAPE_LOG`, and traces to `otlp` when given. Call it inside the runtime that the
/// exporter's requests will run on.
pub fn init(format: &str, otlp: Option<&Otlp>) -> Telemetry {
    use std::io::IsTerminal;
    let logs_filter = tracing_subscriber::EnvFilter::try_from_env("HOOKSHAPE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"))
        .add_directive(format!("{TARGET}=off").parse().expect("a valid directive"));
    let logs = tracing_subscriber::fmt::layer()
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let logs = if format == "json" {
        logs.json().with_filter(logs_filter).boxed()
    } else {
        logs.with_filter(logs_filter).boxed()
    };
    let provider = otlp.map(provider);
    let traces = provider.as_ref().map(|p| {
        tracing_opentelemetry::layer()
            .with_tracer(p.tracer("hookshape"))
            .with_location(false)
            .with_threads(false)
            .with_filter(
                tracing_subscriber::filter::Targets::new()
                    .with_target(TARGET, tracing::Level::TRACE),
            )
    });
    tracing_subscriber::registry()
        .with(logs)
        .with(traces)
        .init();
    if let Some(otlp) = otlp {
        tracing::info!(endpoint = %otlp.endpoint, sample_ratio = otlp.sample_ratio, "exporting traces");
    }
    Telemetry { provider }
}

fn provider(otlp: &Otlp) -> SdkTracerProvider {
    let transport = Transport {
        poster: Arc::new(Poster::new(Duration::from_secs(10))),
        runtime: tokio::runtime::Handle::current(),
    };
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_endpoint(otlp.endpoint.clone())
        .with_http_client(transport)
        .build()
        .expect("an HTTP exporter with its own client always builds");
    SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_sampler(Sampler::ParentBased(Box::new(Sampler::TraceIdRatioBased(
            otlp.sample_ratio,
        ))))
        .with_resource(
            opentelemetry_sdk::Resource::builder()
                .with_service_name("hookshape")
                .build(),
        )
        .build()
}

/// Makes the trace of a W3C `traceparent` the parent of `span` (before it is entered). A
/// malformed one is ignored: the span starts its own trace.
pub fn adopt(span: &tracing::Span, traceparent: &str) {
    let carrier = HashMap::from([("traceparent".to_owned(), traceparent.to_owned())]);
    let parent = TraceContextPropagator::new().extract(&carrier);
    // Fails only when tracing is off (the span is disabled): nothing to adopt then.
    let _ = span.set_parent(parent);
}

/// The W3C `traceparent` of `span`, to hand on; `None` when tracing is off.
pub fn traceparent(span: &tracing::Span) -> Option<String> {
    if span.is_disabled() {
        return None;
    }
    let mut carrier = HashMap::new();
    TraceContextPropagator::new().inject_context(&span.context(), &mut carrier);
    carrier.remove("traceparent")
}

/// The exporter's HTTP client: the server's own, on its runtime. The exporter calls it from
/// its own thread, so the request is spawned onto the runtime and awaited from there.
struct Transport {
    poster: Arc<Poster>,
    runtime: tokio::runtime::Handle,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Transport")
    }
}

#[async_trait::async_trait]
impl HttpClient for Transport {
    async fn send_bytes(&self, request: Request<Bytes>) -> Result<Response<Bytes>, HttpError> {
        let (parts, body) = request.into_parts();
        let url = parts.uri.to_string();
        let headers = parts
            .headers
            .iter()
            .filter_map(|(n, v)| Some((n.to_string(), v.to_str().ok()?.to_owned())))
            .collect();
        let poster = self.poster.clone();
        let (status, answer) = self
            .runtime
            .spawn(async move { poster.post(&url, headers, body.to_vec()).await })
            .await??;
        Ok(Response::builder()
            .status(status)
            .body(Bytes::from(answer))?)
    }
}
