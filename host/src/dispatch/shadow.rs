//! Shadow runs of a subscription's candidate plugin: after a delivery's first attempt, the
//! candidate shapes the same events with the same attempt id; its output is compared with
//! what the current plugin made, never sent. Runs are bounded host-wide: at most half the
//! cores run candidates at once, and at most `MAX_WAITING` comparisons wait for a turn;
//! beyond that they are skipped (and counted), so candidates never hold up deliveries.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;
use serde_json::{Map, Value, json};
use tokio::sync::Semaphore;

use crate::model::{Event, time};
use crate::plugin::{Failure, Outcome, Plugin, cut};

/// A body and the extra headers to send with it.
pub(super) type Shaped = (String, Vec<(String, String)>);

/// Differences kept per candidate, newest last.
pub const KEPT_DIFFERENCES: usize = 20;
/// Changed paths listed per difference.
const MAX_CHANGES: usize = 50;
/// Bytes kept of each body and each changed value in a difference (as JSON text): a
/// candidate's report holds at most 20 × (2 bodies + 50 values) of them.
pub const KEPT_VALUE_BYTES: usize = 16 << 10;
/// Comparisons waiting for a turn, host-wide, before more are skipped.
pub const MAX_WAITING: usize = 1024;

/// The host-wide bound on shadow runs.
#[derive(Debug)]
pub struct Slots {
    running: Arc<Semaphore>,
    waiting: std::sync::atomic::AtomicUsize,
}

impl Slots {
    /// Half the cores (at least one) run candidates at once.
    pub fn for_this_host() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Slots {
            running: Arc::new(Semaphore::new((cores / 2).max(1))),
            waiting: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// A turn to run, or `None` when too many wait already.
    async fn turn(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= MAX_WAITING {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return None;
        }
        let permit = self.running.clone().acquire_owned().await.ok();
        self.waiting.fetch_sub(1, Ordering::AcqRel);
        permit
    }
}

/// How one comparison came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The same body and headers, or both dropped the event.
    Match,
    /// Another body or headers, or the candidate sent what the current one dropped.
    Differ,
    /// The candidate failed (an error, a trap, a limit) where the current one did not.
    CandidateError,
    /// The candidate dropped an event the current one sent.
    CandidateDropped,
    /// The current plugin failed: there was nothing to compare with.
    CurrentFailed,
    /// Too many comparisons were waiting for a turn: not compared.
    Skipped,
    /// Sent with the candidate's output (the canary share).
    Canary,
}

const VERDICTS: [Verdict; 7] = [
    Verdict::Match,
    Verdict::Differ,
    Verdict::CandidateError,
    Verdict::CandidateDropped,
    Verdict::CurrentFailed,
    Verdict::Skipped,
    Verdict::Canary,
];

/// One changed place in the body (a JSON pointer), or `headers`, or `` for a whole body
/// that is not JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidate: Option<Value>,
}

/// A comparison that did not match, with both outputs.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Difference {
    pub event_id: String,
    pub event_type: String,
    pub at: String,
    pub verdict: Verdict,
    pub changes: Vec<Change>,
    pub current: Value,
    pub candidate: Value,
}

/// A candidate's comparisons since it started (on this node).
#[derive(Debug, Default)]
pub struct Shadow {
    counts: [AtomicU64; VERDICTS.len()],
    differences: Mutex<VecDeque<Difference>>,
}

impl Shadow {
    pub fn count(&self, verdict: Verdict) {
        if let Some(i) = VERDICTS.iter().position(|v| *v == verdict) {
            self.counts[i].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Counts per verdict, by name.
    pub fn counts(&self) -> Map<String, Value> {
        VERDICTS
            .iter()
            .zip(&self.counts)
            .map(|(v, n)| {
                let name = serde_json::to_value(v)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                (name, json!(n.load(Ordering::Relaxed)))
            })
            .collect()
    }

    /// The last differences, oldest first.
    pub fn differences(&self) -> Vec<Difference> {
        lock(&self.differences).iter().cloned().collect()
    }

    fn keep(&self, difference: Difference) {
        let mut kept = lock(&self.differences);
        if kept.len() == KEPT_DIFFERENCES {
            kept.pop_front();
        }
        kept.push_back(difference);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What a plugin made of one event, current or candidate alike: a body and headers to send,
/// `None` for a drop, or why it failed.
pub(super) type Made = Result<Option<Shaped>, String>;

/// The candidate's call result, as [`Made`].
fn made(result: Result<Outcome, Failure>) -> Made {
    match result {
        Ok(Outcome::Deliver { body, headers }) => Ok(Some((body, headers))),
        Ok(Outcome::Drop) => Ok(None),
        Err(f) => Err(f.to_string()),
    }
}

/// A value as kept in a difference: itself, or its JSON text cut to `KEPT_VALUE_BYTES`.
fn kept(value: Value) -> Value {
    let text = value.to_string();
    if text.len() <= KEPT_VALUE_BYTES {
        value
    } else {
        Value::String(cut(text, KEPT_VALUE_BYTES))
    }
}

/// One output as shown in a difference.
fn output(made: &Made) -> Value {
    match made {
        Ok(Some((body, headers))) => json!({
            "outcome": "deliver",
            "body": cut(body.clone(), KEPT_VALUE_BYTES),
            "headers": kept(json!(headers)),
        }),
        Ok(None) => json!({"outcome": "drop"}),
        Err(e) => json!({"outcome": "error", "error": e}),
    }
}

/// Compares the current plugin's result with the candidate's.
pub fn compare(current: &Made, candidate: &Made) -> (Verdict, Vec<Change>) {
    match (current, candidate) {
        (Err(_), _) => (Verdict::CurrentFailed, Vec::new()),
        (Ok(_), Err(_)) => (Verdict::CandidateError, Vec::new()),
        (Ok(None), Ok(None)) => (Verdict::Match, Vec::new()),
        (Ok(Some(_)), Ok(None)) => (Verdict::CandidateDropped, Vec::new()),
        (Ok(None), Ok(Some(_))) => (Verdict::Differ, Vec::new()),
        (Ok(Some((body, headers))), Ok(Some((b2, h2)))) => {
            let mut changes = Vec::new();
            if body != b2 {
                if let (Ok(a), Ok(b)) = (
                    serde_json::from_str::<Value>(body),
                    serde_json::from_str::<Value>(b2),
                ) {
                    diff(String::new(), Some(&a), Some(&b), &mut changes);
                }
                // Not JSON, or the same JSON in other bytes (spacing, key order): the whole
                // body is the difference.
                if changes.is_empty() {
                    changes.push(Change {
                        path: String::new(),
                        current: Some(Value::String(cut(body.clone(), KEPT_VALUE_BYTES))),
                        candidate: Some(Value::String(cut(b2.clone(), KEPT_VALUE_BYTES))),
                    });
                }
            }
            if headers != h2 {
                changes.push(Change {
                    path: "headers".into(),
                    current: Some(kept(json!(headers))),
                    candidate: Some(kept(json!(h2))),
                });
            }
            if changes.is_empty() {
                (Verdict::Match, changes)
            } else {
                (Verdict::Differ, changes)
            }
        }
    }
}

fn pointer(path: &str, key: &str) -> String {
    format!("{path}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// The places where two JSON values differ, as JSON pointers (at most `MAX_CHANGES`).
fn diff(path: String, a: Option<&Value>, b: Option<&Value>, out: &mut Vec<Change>) {
    if out.len() >= MAX_CHANGES {
        return;
    }
    match (a, b) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            for (k, v) in x {
                diff(pointer(&path, k), Some(v), y.get(k), out);
            }
            for (k, v) in y.iter().filter(|(k, _)| !x.contains_key(*k)) {
                diff(pointer(&path, k), None, Some(v), out);
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                diff(format!("{path}/{i}"), Some(v), Some(w), out);
            }
        }
        (a, b) if a != b => out.push(Change {
            path,
            current: a.cloned().map(kept),
            candidate: b.cloned().map(kept),
        }),
        _ => {}
    }
}

/// One event to compare: as the current plugin saw it, and what it made of it.
pub(super) struct Job {
    pub event: Event,
    pub current: Made,
}

impl Shadow {
    /// Counts one comparison and keeps it when it did not match.
    fn record(&self, job: &Job, candidate: &Made) {
        let (verdict, changes) = compare(&job.current, candidate);
        self.count(verdict);
        if !matches!(verdict, Verdict::Match | Verdict::CurrentFailed) {
            self.keep(Difference {
                event_id: job.event.id.clone(),
                event_type: job.event.event_type.clone(),
                at: time::rfc3339_ms(time::now_ms()),
                verdict,
                changes,
                current: output(&job.current),
                candidate: output(candidate),
            });
        }
    }
}

/// Runs the candidate on each job and records the comparisons, each in its turn (or
/// skipped when too many wait).
pub(super) async fn run(
    candidate: Arc<Plugin>,
    shadow: Arc<Shadow>,
    slots: Arc<Slots>,
    attempt_id: String,
    jobs: Vec<Job>,
) {
    for job in jobs {
        let Some(_turn) = slots.turn().await else {
            shadow.count(Verdict::Skipped);
            continue;
        };
        let report = candidate
            .transform_async(super::plugin_input::plugin_event(
                &job.event,
                &attempt_id,
                1,
            ))
            .await;
        shadow.record(&job, &made(report.result));
    }
}

/// A candidate that could not be prepared fails every comparison with its reason.
pub(super) fn unavailable(shadow: &Shadow, reason: &str, jobs: Vec<Job>) {
    for job in jobs {
        shadow.record(&job, &Err(reason.to_owned()));
    }
}

/// Whether a delivery goes out with the candidate's output: a stable `percent` share, by
/// the delivery's id, so its retries make the same choice.
pub fn in_canary(delivery_id: &str, percent: u8) -> bool {
    // FNV-1a: stable across processes and versions, unlike the std hasher.
    let hash = delivery_id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    hash % 100 < u64::from(percent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deliver(body: &str) -> Made {
        Ok(Some((body.into(), Vec::new())))
    }

    #[test]
    fn a_changed_field_is_named_by_its_pointer() {
        let current = Ok(Some((
            r#"{"a":{"b":1,"c":[1,2]},"d":"x"}"#.to_owned(),
            Vec::new(),
        )));
        let (v, changes) = compare(&current, &deliver(r#"{"a":{"b":2,"c":[1,3]},"e":true}"#));
        assert_eq!(v, Verdict::Differ);
        let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["/a/b", "/a/c/1", "/d", "/e"]);
        assert_eq!(changes[2].candidate, None);
        assert_eq!(changes[3].current, None);
        let same = Ok(Some((r#"{"a":1}"#.to_owned(), Vec::new())));
        assert_eq!(compare(&same, &deliver(r#"{"a":1}"#)).0, Verdict::Match);
        assert_eq!(compare(&same, &deliver(r#"{ "a": 1 }"#)).0, Verdict::Differ);
        assert_eq!(compare(&same, &Ok(None)).0, Verdict::CandidateDropped);
    }

    #[test]
    fn kept_bodies_and_values_are_bounded() {
        let big = "x".repeat(100_000);
        let current: Made = Ok(Some((json!({"a": big}).to_string(), Vec::new())));
        let (_, changes) = compare(&current, &deliver(r#"{"a":"y"}"#));
        let kept_text = changes[0]
            .current
            .as_ref()
            .and_then(Value::as_str)
            .unwrap_or_default();
        assert!(
            kept_text.len() < KEPT_VALUE_BYTES + 64,
            "{}",
            kept_text.len()
        );
        assert!(kept_text.ends_with("more bytes cut)"));
        let shown = output(&current);
        let body = shown["body"].as_str().unwrap_or_default();
        assert!(body.len() < KEPT_VALUE_BYTES + 64 && body.ends_with("more bytes cut)"));
        // Small values stay JSON.
        assert_eq!(changes[0].candidate, Some(json!("y")));
    }

    #[test]
    fn the_canary_share_is_stable_and_about_right() {
        let ids: Vec<String> = (0..10_000).map(|i| format!("dlv_{i}")).collect();
        let share = ids.iter().filter(|id| in_canary(id, 25)).count();
        assert!((2_000..3_000).contains(&share), "{share}");
        assert!(ids.iter().all(|id| in_canary(id, 100)));
        assert!(!ids.iter().any(|id| in_canary(id, 0)));
        assert_eq!(in_canary("dlv_7", 25), in_canary("dlv_7", 25));
    }
}
