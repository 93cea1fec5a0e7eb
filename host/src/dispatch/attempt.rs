//! One delivery attempt: plugin, signature, request, and the delivery's next state.

use std::time::Duration;

use tracing::Instrument as _;

use crate::deliver::{Request, SendError};
use crate::model::{
    self, Attempt, AttemptError, AttemptOutcome, Delivery, DeliveryStatus, Event, ReceivedResponse,
    SentRequest, Status, time,
};
use crate::plugin::{Failure, Outcome, Plugin};
use crate::sign::{self, Message};

use super::plugin_input::plugin_event;
use super::shadow::{self, Shaped, Verdict};
use super::subscriptions::Live;
use super::{Shared, duration_ms};
use crate::telemetry;

/// What an attempt decided besides its record.
pub(super) struct Finished {
    pub attempt: Attempt,
    pub delivery: Delivery,
    /// The endpoint answered 410 Gone: the subscription must be disabled.
    pub gone: bool,
    /// How the endpoint did, for its circuit: `Some(true)` answered 2xx, `Some(false)`
    /// failed (status, timeout, connection); `None` when no request was judged (a plugin's
    /// failure or a dropped event).
    pub endpoint_ok: Option<bool>,
    /// The endpoint asked to wait (`Retry-After` with 429 or 503).
    pub pause: Option<Duration>,
    /// The request's body is its one event's default body: stored without it.
    pub default_body: bool,
    /// The attempt's span (disabled with tracing off), open until the record is written.
    pub span: tracing::Span,
}

fn plugin_error(failure: &Failure) -> AttemptError {
    AttemptError {
        code: format!("plugin_{}", failure.code()),
        detail: failure.to_string(),
    }
}

/// Why an attempt is made, which decides what a failure does to the delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A due job: a failure schedules the next automatic retry, until they are used up.
    Scheduled,
    /// A manual retry: extra, it never shortens the automatic schedule. A failure leaves a
    /// pending delivery's next retry where it was (and a failed delivery failed); a success
    /// ends the delivery.
    Manual,
    /// A test send: never retried.
    OneOff,
}

/// Runs one attempt of `delivery` for `live` (without touching the store) and works out the
/// delivery's next state. `events` are the delivery's events (several for a batch). With
/// tracing on, it is a span in its (first) event's trace, whose `traceparent` the request
/// carries on to the endpoint.
pub(super) async fn run(
    shared: &Shared,
    live: &Live,
    events: &[Event],
    delivery: Delivery,
    kind: Kind,
) -> Finished {
    let parent = events.first().and_then(|e| e.trace.as_deref());
    let (span, traceparent) = match telemetry::decide(parent) {
        telemetry::Decision::Off => (tracing::Span::none(), None),
        // A trace its publish did not keep gets no spans: its context is handed on as it came.
        telemetry::Decision::NotKept(traceparent) => (tracing::Span::none(), Some(traceparent)),
        telemetry::Decision::Kept(parent) => {
            let span = tracing::info_span!(target: telemetry::TARGET, "attempt",
                "delivery.id" = %delivery.id,
                "subscription.id" = %live.sub.id,
                "attempt.number" = delivery.attempts + 1,
                "http.response.status_code" = tracing::field::Empty,
                "error.code" = tracing::field::Empty,
            );
            if let Some(parent) = parent {
                telemetry::adopt(&span, &parent);
            }
            let traceparent = telemetry::traceparent(&span);
            (span, traceparent)
        }
    };
    let mut finished = attempt(shared, live, events, delivery, kind, traceparent)
        .instrument(span.clone())
        .await;
    if let Some(response) = &finished.attempt.response {
        span.record("http.response.status_code", response.status);
    }
    if let Some(error) = &finished.attempt.error {
        span.record("error.code", error.code.as_str());
    }
    finished.span = span;
    finished
}

async fn attempt(
    shared: &Shared,
    live: &Live,
    events: &[Event],
    mut delivery: Delivery,
    kind: Kind,
    traceparent: Option<String>,
) -> Finished {
    let was_pending = delivery.status == DeliveryStatus::Pending;
    let scheduled_next = delivery.next_attempt_ms;
    let number = delivery.attempts + 1;
    let request_id = model::new_ulid();
    let started_ms = time::now_ms();
    let started = std::time::Instant::now();
    let mut attempt = Attempt {
        delivery_id: delivery.id.clone(),
        number,
        request_id: request_id.clone(),
        started_ms,
        duration_ms: 0,
        plugin_id: None,
        plugin_logs: Vec::new(),
        request: None,
        response: None,
        outcome: AttemptOutcome::Failed,
        error: None,
    };

    // The canary share goes out with the candidate's output; the rest with the current
    // plugin's, compared with the candidate's after the first attempt.
    let canary = match (&live.candidate, &live.sub.candidate) {
        (Some(Ok(plugin)), Some(c)) if shadow::in_canary(&delivery.id, c.percent) => {
            Some((plugin.clone(), c.plugin.id.clone()))
        }
        _ => None,
    };
    let first = kind == Kind::Scheduled && number == 1;
    let (plugin, plugin_error) = match &canary {
        Some((plugin, id)) => {
            attempt.plugin_id = Some(id.clone());
            (Some(plugin), None)
        }
        None => {
            attempt.plugin_id = live.sub.plugin.as_ref().map(|p| p.id.clone());
            (live.plugin.as_ref(), live.plugin_error.as_deref())
        }
    };
    let compare = first && canary.is_none() && live.candidate.is_some();
    let mut jobs = Vec::new();

    // Each event is shaped on its own; the first failure fails the whole attempt.
    let mut each = Vec::with_capacity(events.len());
    let mut failure = None;
    for event in events {
        if first && canary.is_some() {
            live.shadow.count(Verdict::Canary);
        }
        let shaped = shape(
            (plugin, plugin_error),
            event,
            &request_id,
            number,
            &mut attempt,
            &shared.metrics,
        )
        .await;
        if compare {
            jobs.push(shadow::Job {
                event: event.clone(),
                current: shaped.clone().map_err(|e| e.detail),
            });
        }
        match shaped {
            Ok(shaped) => each.push(shaped),
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    let shaped: Result<Option<Shaped>, AttemptError> = match (failure, &delivery.batch) {
        (Some(e), _) => Err(e),
        (None, None) => Ok(each.into_iter().next().flatten()),
        (None, Some(_)) => batch_body(live, each),
    };
    // Standard Webhooks' `webhook-id` is stable across retries: the event's, or the batch's.
    // An event from another workspace (a site's, reaching its organisation) is qualified by
    // it: ids are unique per workspace only, and a receiver deduplicates on this one.
    let message_id = match (&delivery.batch, &delivery.event_workspace) {
        (Some(_), _) => delivery.id.clone(),
        (None, Some(ws)) => format!("{ws}:{}", delivery.event_id),
        (None, None) => delivery.event_id.clone(),
    };
    let message_id = message_id.as_str();

    let mut gone = false;
    let mut retry_after = None;
    let mut endpoint_ok = None;
    let mut pause = None;
    match shaped {
        Ok(None) => {
            attempt.outcome = AttemptOutcome::Dropped;
        }
        Err(e) => attempt.error = Some(e),
        Ok(Some((body, headers))) => match prepare(live, message_id, body, headers, traceparent) {
            Err(e) => attempt.error = Some(e),
            Ok(request) => {
                let sent = shared.sender.send_for(&live.sub.workspace, &request).await;
                let mut logged_headers =
                    vec![("content-type".to_owned(), "application/json".to_owned())];
                // Static header values are credentials: recorded by name only.
                logged_headers.extend(request.headers.into_iter().map(|(n, v)| {
                    if live.sub.headers.contains_key(&n) {
                        (n, "[redacted]".to_owned())
                    } else {
                        (n, v)
                    }
                }));
                attempt.request = Some(SentRequest {
                    url: request.url,
                    headers: logged_headers,
                    body: String::from_utf8_lossy(&request.body).into_owned(),
                    body_is_default: false,
                });
                match sent {
                    Ok(response) => {
                        let status = response.status;
                        retry_after = response.retry_after;
                        attempt.response = Some(ReceivedResponse {
                            status,
                            headers: response.headers,
                            body: response.body,
                            truncated: response.truncated,
                        });
                        endpoint_ok = Some((200..300).contains(&status));
                        if matches!(status, 429 | 503) {
                            pause = retry_after;
                        }
                        if (200..300).contains(&status) {
                            attempt.outcome = AttemptOutcome::Succeeded;
                        } else {
                            gone = status == 410;
                            attempt.error = Some(AttemptError {
                                code: "http_status".into(),
                                detail: format!("endpoint answered {status}"),
                            });
                        }
                    }
                    Err(e) => {
                        endpoint_ok = Some(false);
                        attempt.error = Some(send_error(&e));
                    }
                }
            }
        },
    }
    attempt.duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);

    let now = time::now_ms();
    delivery.attempts = number;
    if kind == Kind::Manual {
        delivery.manual_attempts = delivery.manual_attempts.saturating_add(1);
    }
    delivery.updated_ms = now;
    delivery.next_attempt_ms = None;
    match attempt.outcome {
        AttemptOutcome::Succeeded => {
            delivery.status = DeliveryStatus::Succeeded;
            delivery.last_error = None;
        }
        AttemptOutcome::Dropped => {
            delivery.status = DeliveryStatus::Dropped;
            delivery.last_error = None;
        }
        AttemptOutcome::Failed => {
            let reason = attempt.error.as_ref().map(|e| e.detail.clone());
            delivery.last_error = reason;
            // Automatic attempts made so far: manual ones do not count against the schedule.
            let automatic = number.saturating_sub(delivery.manual_attempts);
            let next = match kind {
                _ if gone => None,
                Kind::Scheduled => shared
                    .retry
                    .next_delay_for(live.sub.retry.as_ref(), automatic, retry_after)
                    .map(|delay| now + duration_ms(delay)),
                Kind::Manual if was_pending => scheduled_next,
                Kind::Manual | Kind::OneOff => None,
            };
            match next {
                Some(at) => {
                    delivery.status = DeliveryStatus::Pending;
                    delivery.next_attempt_ms = Some(at);
                }
                None => delivery.status = DeliveryStatus::Failed,
            }
        }
    }
    // The candidate's turn: after the request, on its own task.
    match &live.candidate {
        Some(Ok(candidate)) if !jobs.is_empty() => {
            tokio::spawn(shadow::run(
                candidate.clone(),
                live.shadow.clone(),
                shared.shadow_slots.clone(),
                request_id,
                jobs,
            ));
        }
        Some(Err(reason)) => shadow::unavailable(&live.shadow, reason, jobs),
        _ => {}
    }
    let default_body = match (&attempt.request, events) {
        (Some(r), [event]) => r.body == event.default_body(),
        _ => false,
    };
    Finished {
        attempt,
        delivery,
        default_body,
        gone: gone && live.sub.status == Status::Enabled,
        endpoint_ok,
        pause,
        span: tracing::Span::none(),
    }
}

/// One event's body and headers: the plugin's outcome (`None` when it drops the event), or
/// the default body when the subscription has no plugin. Plugin logs go to the attempt.
async fn shape(
    (plugin, unavailable): (Option<&std::sync::Arc<Plugin>>, Option<&str>),
    event: &Event,
    request_id: &str,
    number: u32,
    attempt: &mut Attempt,
    metrics: &crate::metrics::Metrics,
) -> Result<Option<Shaped>, AttemptError> {
    match (plugin, unavailable) {
        (_, Some(reason)) => Err(AttemptError {
            code: "plugin_unavailable".into(),
            detail: reason.to_owned(),
        }),
        (Some(plugin), None) => {
            // Only within a kept attempt's span (none: tracing off, or the trace not kept).
            let span = if tracing::Span::current().is_disabled() {
                tracing::Span::none()
            } else {
                tracing::info_span!(target: telemetry::TARGET, "plugin",
                    "plugin.id" = attempt.plugin_id.as_deref().unwrap_or_default(),
                    "plugin.code" = plugin.code_id(),
                    "plugin.duration_ms" = tracing::field::Empty,
                    "plugin.memory_bytes" = tracing::field::Empty,
                    "error.code" = tracing::field::Empty,
                )
            };
            let report = plugin
                .transform_async(plugin_event(event, request_id, number))
                .instrument(span.clone())
                .await;
            span.record("plugin.duration_ms", duration_ms(report.duration));
            span.record("plugin.memory_bytes", report.memory_bytes);
            if let Err(failure) = &report.result {
                span.record("error.code", failure.code());
            }
            metrics.plugin_call(
                plugin.code_id(),
                report.duration.as_secs_f64(),
                report.result.as_ref().err().map(Failure::code),
            );
            attempt.plugin_logs.extend(report.logs);
            // What it printed (bounded by the runtime) is kept like its log lines.
            if !report.output.is_empty() {
                attempt.plugin_logs.push(crate::plugin::LogLine {
                    level: crate::plugin::Level::Info,
                    message: format!("[stdout/stderr] {}", report.output.trim_end()),
                });
            }
            match report.result {
                Ok(Outcome::Drop) => Ok(None),
                Ok(Outcome::Deliver { body, headers }) => Ok(Some((body, headers))),
                Err(failure) => Err(plugin_error(&failure)),
            }
        }
        (None, None) => Ok(Some((event.default_body(), Vec::new()))),
    }
}

/// A batch's body from its events' bodies (dropped events left out; all dropped → `None`);
/// the headers are those of its first delivered event.
fn batch_body(live: &Live, each: Vec<Option<Shaped>>) -> Result<Option<Shaped>, AttemptError> {
    let mut delivered = each.into_iter().flatten();
    let Some((first, headers)) = delivered.next() else {
        return Ok(None);
    };
    let bodies: Vec<String> = std::iter::once(first)
        .chain(delivered.map(|(body, _)| body))
        .collect();
    let items_at = live.sub.batch.as_ref().and_then(|b| b.items_at.as_deref());
    model::assemble(&bodies, items_at)
        .map(|body| Some((body, headers)))
        .map_err(|e| AttemptError {
            code: "batch_assembly".into(),
            detail: e.to_string(),
        })
}

/// Signs the body under the subscription's scheme and builds the request. Headers the
/// scheme sets may not come from the plugin.
fn prepare(
    live: &Live,
    message_id: &str,
    body: String,
    mut headers: Vec<(String, String)>,
    traceparent: Option<String>,
) -> Result<Request, AttemptError> {
    let owned = live.sub.signing.header_names();
    if let Some((name, _)) = headers
        .iter()
        .find(|(n, _)| owned.contains(&n.to_ascii_lowercase()))
    {
        return Err(plugin_error(&Failure::BadOutput {
            detail: format!("header {name:?} is set by the signing scheme"),
        }));
    }
    // The subscription's static headers win over a plugin's of the same name.
    headers.retain(|(n, _)| !live.sub.headers.keys().any(|s| s.eq_ignore_ascii_case(n)));
    headers.extend(live.sub.headers.iter().map(|(n, v)| (n.clone(), v.clone())));
    let now = time::now_ms();
    let signed = sign::sign(
        &live.sub.signing,
        &live.sub.live_secrets(now),
        &Message {
            id: message_id,
            timestamp: now / 1000,
            body: body.as_bytes(),
        },
    )
    .map_err(|e| {
        plugin_error(&Failure::BadOutput {
            detail: e.to_string(),
        })
    })?;
    headers.extend(signed.headers);
    // The endpoint may continue the attempt's trace, unless the plugin set its own.
    if let Some(tp) = traceparent
        && !headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("traceparent"))
    {
        headers.push(("traceparent".to_owned(), tp));
    }
    Ok(Request {
        url: live.sub.url.clone(),
        headers,
        body: signed.body.unwrap_or(body).into_bytes(),
    })
}

fn send_error(e: &SendError) -> AttemptError {
    AttemptError {
        code: e.code().to_owned(),
        detail: e.to_string(),
    }
}
