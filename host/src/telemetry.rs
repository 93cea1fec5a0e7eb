//! What the server tells its operator: logs on stderr and, when asked, OpenTelemetry traces
//! exported over OTLP/HTTP (protobuf). The rest of the code only opens `tracing` spans on
//! [`TARGET`]; this module alone names OpenTelemetry.
//!
//! The spans are filtered per layer: the log layer never sees them (the logs read the same
//! with tracing on or off), and without an exporter nothing enables them, so they cost a
//! disabled callsite's check.

use std::sync::Arc;
use std::time::Duration;

use opentelemetry::Context;
use opentelemetry::trace::{
    SpanContext, SpanId, TraceContextExt as _, TraceFlags, TraceId, TraceState, TracerProvider as _,
};
use opentelemetry_http::{Bytes, HttpClient, HttpError, Request, Response};
use opentelemetry_otlp::{WithExportConfig, WithHttpConfig};
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
    if let Some(otlp) = otlp {
        let _ = SAMPLE_RATIO.set(otlp.sample_ratio);
    }
    let traces = provider.as_ref().map(|p| {
        tracing_opentelemetry::layer()
            .with_tracer(p.tracer("hookshape"))
            .with_location(false)
            .with_threads(false)
            // Busy and idle times would be counted at every poll of an instrumented future.
            .with_tracked_inactivity(false)
            // INFO, the spans' level: a lower one would raise the subscriber's level hint, and
            // with it `log`'s maximum level, so that every dependency's `log::trace!` call
            // would be formatted and offered to the subscriber.
            .with_filter(
                tracing_subscriber::filter::Targets::new()
                    .with_target(TARGET, tracing::Level::INFO),
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
        // Which traces are kept is decided before any span is made ([`decide`]).
        .with_sampler(Sampler::ParentBased(Box::new(Sampler::AlwaysOn)))
        .with_resource(
            opentelemetry_sdk::Resource::builder()
                .with_service_name("hookshape")
                .build(),
        )
        .build()
}

/// The share of new traces kept; unset while tracing is off.
static SAMPLE_RATIO: std::sync::OnceLock<f64> = std::sync::OnceLock::new();

/// What a piece of work (a publish, an attempt) does about its trace, decided before any span
/// is made, so that work in a trace that is not kept costs no spans at all.
#[derive(Debug, PartialEq)]
pub enum Decision {
    /// Tracing is off: no spans, nothing handed on.
    Off,
    /// The trace is not kept: no spans, and this `traceparent` (the caller's, or a new one
    /// marked not sampled) is handed on.
    NotKept(String),
    /// The trace is kept: spans, under this parent if there is one.
    Kept(Option<String>),
}

/// Follows the caller's `traceparent` when it has a valid one; else starts a trace, kept
/// at the configured ratio.
pub fn decide(parent: Option<&str>) -> Decision {
    let Some(&ratio) = SAMPLE_RATIO.get() else {
        return Decision::Off;
    };
    decide_with(ratio, parent)
}

fn decide_with(ratio: f64, parent: Option<&str>) -> Decision {
    match parent.map(|p| (p, parse(p))) {
        Some((p, Some(sc))) if sc.is_sampled() => Decision::Kept(Some(p.trim().to_owned())),
        Some((p, Some(_))) => Decision::NotKept(p.trim().to_owned()),
        _ if rand::random::<f64>() < ratio => Decision::Kept(None),
        _ => Decision::NotKept(format!(
            "00-{:032x}-{:016x}-00",
            rand::random::<u128>().max(1),
            rand::random::<u64>().max(1)
        )),
    }
}

/// Makes the trace of a W3C `traceparent` the parent of `span` (before it is entered). A
/// malformed one is ignored: the span starts its own trace.
pub fn adopt(span: &tracing::Span, traceparent: &str) {
    if let Some(parent) = parse(traceparent) {
        // Fails only when tracing is off (the span is disabled): nothing to adopt then.
        let _ = span.set_parent(Context::new().with_remote_span_context(parent));
    }
}

/// The W3C `traceparent` of `span`, to hand on; `None` when tracing is off.
pub fn traceparent(span: &tracing::Span) -> Option<String> {
    if span.is_disabled() {
        return None;
    }
    let cx = span.context();
    let sc = cx.span().span_context().clone();
    sc.is_valid().then(|| {
        format!(
            "00-{:032x}-{:016x}-{:02x}",
            sc.trace_id(),
            sc.span_id(),
            sc.trace_flags().to_u8()
        )
    })
}

/// A W3C `traceparent` (version 00): `00-{trace id}-{parent id}-{flags}`.
fn parse(traceparent: &str) -> Option<SpanContext> {
    let mut parts = traceparent.trim().split('-');
    let (version, trace, span, flags) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || version != "00"
        || trace.len() != 32
        || span.len() != 16
        || flags.len() != 2
    {
        return None;
    }
    let sc = SpanContext::new(
        TraceId::from_hex(trace).ok()?,
        SpanId::from_hex(span).ok()?,
        TraceFlags::new(u8::from_str_radix(flags, 16).ok()? & 1),
        true,
        TraceState::default(),
    );
    sc.is_valid().then_some(sc)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traceparents_are_parsed_as_w3c_says() {
        let kept = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        let parsed = parse(kept).expect("valid");
        assert_eq!(
            format!("{:032x}", parsed.trace_id()),
            "4bf92f3577b34da6a3ce929d0e0e4736"
        );
        assert!(parsed.is_sampled());
        let not_kept = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";
        // A caller's decision is followed whatever the ratio.
        assert_eq!(
            decide_with(0.0, Some(kept)),
            Decision::Kept(Some(kept.into()))
        );
        assert_eq!(
            decide_with(1.0, Some(not_kept)),
            Decision::NotKept(not_kept.into())
        );
        // Without one (or with a malformed one), the ratio decides.
        assert_eq!(decide_with(1.0, None), Decision::Kept(None));
        assert_eq!(decide_with(1.0, Some("garbage")), Decision::Kept(None));
        let Decision::NotKept(new) = decide_with(0.0, None) else {
            panic!("a ratio of 0 keeps nothing");
        };
        assert!(parse(&new).is_some_and(|sc| !sc.is_sampled()), "{new}");
        // Tracing off (as in this test process): nothing.
        assert_eq!(decide(Some(kept)), Decision::Off);
        for bad in [
            "",
            "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",
            "00-zzf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        ] {
            assert!(parse(bad).is_none(), "{bad}");
        }
        // Tracing off: a span is disabled and has no traceparent.
        assert_eq!(traceparent(&tracing::Span::none()), None);
    }
}
